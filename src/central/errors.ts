import type { SyncErrorCode } from '../shared/sync-protocol';
import { assertNever } from '../core/errors';

/**
 * The central server's one error class. The code is the protocol's; the HTTP status follows from it
 * unless a handler needs a more precise one (405, 415). Messages say what was wrong and what to do:
 * they go back to the client as they are, so they never carry a secret.
 */
export class CentralError extends Error {
  override readonly name = 'CentralError';
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    options: { status?: number; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status ?? httpStatusFor(code);
    this.headers = options.headers ?? {};
  }
}

export function httpStatusFor(code: SyncErrorCode): number {
  switch (code) {
    case 'BAD_REQUEST':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'TOO_LARGE':
      return 413;
    case 'RATE_LIMITED':
      return 429;
    case 'INTERNAL':
      return 500;
    case 'UNAVAILABLE':
      return 503;
    default:
      return assertNever(code, 'sync error code');
  }
}
