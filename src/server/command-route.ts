import type { IncomingMessage, ServerResponse } from 'node:http';
import { isCommandName } from '../shared/contract';
import type { AppError, ErrorCode, Result } from '../shared/errors';
import { assertNever } from '../core/index';
import type { Dispatch } from '../core/handlers/index';
import { readBody } from '../core/http/index';
import { tokenMatches } from './access-token';
import { sendJson } from './send-json';

export const COMMAND_PATH = '/api/commands/';

/**
 * `POST /api/commands/<name>` with the input as JSON runs a command and answers with its Result.
 * Needs the access token (`Authorization: Bearer <token>`).
 */
export async function handleCommand(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  options: { dispatch: Dispatch; token: string; maxBodyBytes: number },
): Promise<void> {
  const { maxBodyBytes } = options;
  if (!tokenMatches(bearerOf(req), options.token)) {
    req.resume();
    sendResult(res, 401, {
      code: 'UNAUTHORIZED',
      message: 'Missing or wrong access token. Use the token the server printed when it first started.',
    });
    return;
  }
  if (!pathname.startsWith(COMMAND_PATH)) {
    req.resume();
    sendResult(res, 404, { code: 'NOT_FOUND', message: `No API endpoint at ${pathname}.` });
    return;
  }
  if (req.method !== 'POST') {
    req.resume();
    sendResult(res, 405, { code: 'VALIDATION', message: 'Commands are sent with POST.' }, { Allow: 'POST' });
    return;
  }
  const name = pathname.slice(COMMAND_PATH.length);
  if (!isCommandName(name)) {
    req.resume();
    // The dispatcher words the error (and lists the known commands).
    respond(res, await options.dispatch(name, undefined));
    return;
  }
  const body = await readBody(req, maxBodyBytes);
  if (body.kind === 'too-large') {
    sendResult(
      res,
      413,
      { code: 'PAYLOAD_TOO_LARGE', message: `The request is larger than ${maxBodyBytes} bytes.` },
      { Connection: 'close' },
    );
    res.on('finish', () => req.destroy());
    return;
  }
  const text = body.bytes.toString('utf8');
  let input: unknown;
  if (text.trim() !== '') {
    try {
      input = JSON.parse(text);
    } catch {
      sendResult(res, 400, { code: 'VALIDATION', message: 'The request body is not valid JSON.' });
      return;
    }
  }
  respond(res, await options.dispatch(name, input));
}

export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION':
    case 'INVALID_PHONE_NUMBER':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'NOT_FOUND':
    case 'UNKNOWN_COMMAND':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'DATABASE_CORRUPT':
    case 'DATABASE_TOO_NEW':
    case 'BACKUP_FAILED':
    case 'INTERNAL':
      return 500;
    case 'UNAVAILABLE':
    case 'DATABASE_UNAVAILABLE':
      return 503;
    default:
      return assertNever(code, 'error code');
  }
}

function respond(res: ServerResponse, result: Result<unknown>): void {
  if (result.ok) sendJson(res, 200, result);
  else sendResult(res, httpStatusFor(result.error.code), result.error);
}

export function sendResult(
  res: ServerResponse,
  status: number,
  error: AppError,
  headers: Record<string, string> = {},
) {
  sendJson(
    res,
    status,
    { ok: false, error },
    status === 401 ? { 'WWW-Authenticate': 'Bearer', ...headers } : headers,
  );
}

export const internalError = (): AppError => ({
  code: 'INTERNAL',
  message: 'Something went wrong on our side.',
});

export function bearerOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
