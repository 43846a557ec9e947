import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOn, type HttpService } from '../core/http/index';
import { systemClock, type Clock } from '../core/ids';
import { apiRoutes } from './api-routes';
import { createAdminAuth } from './auth';
import { createCloudNumberRegistry } from './cloud-numbers';
import { errorPage } from './dashboard/error-page';
import { dashboardRoutes, PAGE_HEADERS } from './dashboard/routes';
import type { CentralDatabase } from './db/open';
import { damagedError, isDamageError } from './db/damage';
import { isDatabaseUnavailable } from './db/unavailable';
import { CentralError } from './errors';
import { requestUrl } from './http/request';
import { sendHtml, sendJsonError } from './http/respond';
import { createRouter } from './http/router';
import {
  ANONYMOUS_RATE,
  createRateLimiter,
  INGEST_RATE,
  WEBHOOK_REFUSAL_RATE,
  type TokenBucketOptions,
} from './rate-limit';
import { relayRoutes } from './relay-routes';
import { updateRoutes } from './update-routes';
import { createRelayWaiters } from './webhook-relay';

export interface CentralServerOptions {
  database: CentralDatabase;
  adminToken: string;
  /**
   * Seals the App Secrets of Cloud numbers (secret-key.ts). Without it the webhook relay answers 503;
   * `npm run central` always passes one.
   */
  secretKey?: Buffer;
  /** Where uploaded installers are kept (`<data-dir>/updates`); without it the update feed is off. */
  updatesDir?: string;
  clock?: Clock;
  rateLimits?: {
    /** Per workspace token on ingest. Default 20/s, burst 40. */
    ingest?: TokenBucketOptions;
    /**
     * Per client address on enroll and on the dashboard's sign-in, each its own bucket (behind a proxy
     * every client has one address: bad codes must not lock the admin out). Default 2/s, burst 20.
     */
    anonymous?: TokenBucketOptions;
    /** Per client address, refused webhook POSTs. Default 1/s, burst 30. */
    webhookRefusals?: TokenBucketOptions;
  };
  log?: (line: string) => void;
}

export interface CentralServer extends HttpService {
  /** Stops taking connections, lets requests in flight finish (a few seconds at most), then closes. */
  close(): Promise<void>;
}

/** In-flight requests get this long to finish when the server closes. */
const CLOSE_GRACE_MS = 5_000;

export function createCentralServer(options: CentralServerOptions): CentralServer {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => undefined);
  const auth = createAdminAuth(options.adminToken, clock);
  const enrollLimiter = createRateLimiter(options.rateLimits?.anonymous ?? ANONYMOUS_RATE, clock);
  const signInLimiter = createRateLimiter(options.rateLimits?.anonymous ?? ANONYMOUS_RATE, clock);
  const ingestLimiter = createRateLimiter(options.rateLimits?.ingest ?? INGEST_RATE, clock);
  const waiters = createRelayWaiters();
  // One registry for the admin API and the dashboard: a change through either drops the opened secret.
  const cloudNumbers = createCloudNumberRegistry(options.database, options.secretKey);
  const route = createRouter([
    ...apiRoutes({ database: options.database, clock, auth, ingestLimiter, enrollLimiter, log }),
    ...dashboardRoutes({
      database: options.database,
      clock,
      auth,
      signInLimiter,
      cloudNumbers,
      updatesDir: options.updatesDir,
    }),
    ...relayRoutes({
      database: options.database,
      clock,
      auth,
      cloudNumbers,
      pollLimiter: ingestLimiter,
      refusalLimiter: createRateLimiter(options.rateLimits?.webhookRefusals ?? WEBHOOK_REFUSAL_RATE, clock),
      waiters,
      log,
    }),
    ...updateRoutes({
      database: options.database,
      clock,
      auth,
      updatesDir: options.updatesDir,
      feedLimiter: ingestLimiter,
    }),
  ]);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    try {
      const match = route(req.method ?? 'GET', url.pathname);
      switch (match.kind) {
        case 'found':
          await match.route.handler({ req, res, url, params: match.params });
          return;
        case 'wrong-method':
          throw new CentralError('BAD_REQUEST', `${url.pathname} takes ${match.allowed.join(' or ')}.`, {
            status: 405,
            headers: { Allow: match.allowed.join(', ') },
          });
        case 'not-found':
          throw new CentralError('NOT_FOUND', `There is nothing at ${url.pathname}.`);
      }
    } catch (error) {
      answerFailure({ database: options.database, auth, log }, req, res, url, error);
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  // Slow or stuck clients cannot hold a connection open for ever.
  server.headersTimeout = 15_000;
  server.requestTimeout = 60_000;
  server.on('clientError', (_error, socket) => socket.destroy());

  let closing: Promise<void> | undefined;
  return {
    server,
    listen: (port, host) => listenOn(server, port, host),
    close() {
      // Long polls answer now (with what they have) instead of holding the close for their wait.
      waiters.shutdown();
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

/** What the server's failure handling needs. */
interface FailureContext {
  database: CentralServerOptions['database'];
  auth: ReturnType<typeof createAdminAuth>;
  log: (line: string) => void;
}

/** Answers a request that failed: JSON for the API, webhooks and updates; an HTML page otherwise. */
function answerFailure(
  ctx: FailureContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  error: unknown,
): void {
  const failure = centralErrorOf(ctx, req, url, error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // A body nobody read yet is read and dropped, so the connection can carry the next request.
  if (!req.readableEnded && req.listenerCount('data') === 0) req.resume();
  if (['/api/', '/webhooks/', '/updates/'].some((prefix) => url.pathname.startsWith(prefix))) {
    sendJsonError(res, failure);
  } else {
    const signedIn = ctx.auth.hasSession(req);
    sendHtml(res, failure.status, errorPage(titleFor(failure), failure.message, signedIn), {
      ...PAGE_HEADERS,
      ...failure.headers,
    });
  }
}

/** The failure in the owner's words; a damaged or unreachable database, and a bug, are logged. */
function centralErrorOf(ctx: FailureContext, req: IncomingMessage, url: URL, error: unknown): CentralError {
  if (ctx.database.noteFailure(error)) {
    ctx.log(
      `${req.method} ${url.pathname}: the central database at ${ctx.database.location} is damaged ` +
        `(${(error as Error).message}); ` +
        'writes are refused until it is restored from a backup',
    );
  }
  if (error instanceof CentralError) {
    return error;
  } else if (isDamageError(error)) {
    return damagedError((error as Error).message);
  } else if (isDatabaseUnavailable(error)) {
    ctx.log(`${req.method} ${url.pathname}: the database is unavailable: ${(error as Error).message}`);
    return new CentralError(
      'UNAVAILABLE',
      'The central database is not reachable right now; try again shortly.',
      {
        headers: { 'Retry-After': '5' },
      },
    );
  } else {
    ctx.log(
      `${req.method} ${url.pathname} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return new CentralError('INTERNAL', 'Something went wrong on the central server; try again later.');
  }
}

function titleFor(error: CentralError): string {
  switch (error.status) {
    case 404:
      return 'Not found';
    case 400:
      return 'That request was not understood';
    case 401:
    case 403:
      return 'Not allowed';
    case 429:
      return 'Too many requests';
    default:
      return error.status >= 500 ? 'Something went wrong' : 'That did not work';
  }
}
