import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newAdminToken } from './secrets';

export const ADMIN_TOKEN_FILE = 'central-admin-token';
export const ADMIN_TOKEN_ENV = 'CENTRAL_ADMIN_TOKEN';
const FILE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const MIN_ENV_TOKEN_LENGTH = 32;

export type AdminToken =
  | { source: 'env'; token: string }
  | {
      source: 'file';
      token: string;
      path: string;
      /** True when this start made the token: the only time it is printed. */
      created: boolean;
      /** The file was readable by others and has been made owner-only again. */
      repairedPermissions: boolean;
    };

/**
 * The admin token: `CENTRAL_ADMIN_TOKEN` when set (a deployment's secret store), otherwise the one in
 * `<dataDir>/central-admin-token`, made on first start with owner-only permissions (0600).
 */
export function loadOrCreateAdminToken(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
  options: { rotate?: boolean } = {},
): AdminToken {
  const fromEnv = env[ADMIN_TOKEN_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    const token = fromEnv.trim();
    if (token.length < MIN_ENV_TOKEN_LENGTH || /\s/.test(token)) {
      throw new Error(
        `${ADMIN_TOKEN_ENV} must be at least ${MIN_ENV_TOKEN_LENGTH} characters with no spaces ` +
          '(e.g. the output of `openssl rand -base64 32`).',
      );
    }
    return { source: 'env', token };
  }
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, ADMIN_TOKEN_FILE);
  if (options.rotate !== true) {
    const existing = readToken(path);
    if (existing !== undefined) {
      let repairedPermissions = false;
      // Windows has no POSIX modes: the user's profile folder is what protects the file there.
      if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
        chmodSync(path, 0o600);
        repairedPermissions = true;
      }
      return { source: 'file', token: existing, path, created: false, repairedPermissions };
    }
  }
  const token = newAdminToken();
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created; an existing file keeps its mode unless told.
  if (process.platform !== 'win32') chmodSync(path, 0o600);
  return { source: 'file', token, path, created: true, repairedPermissions: false };
}

function readToken(path: string): string | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return FILE_TOKEN_PATTERN.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}
