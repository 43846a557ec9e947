import { join } from 'node:path';
import { loadOrCreateTokenFile } from '../core/secrets/index';

export const ADMIN_TOKEN_FILE = 'central-admin-token';
export const ADMIN_TOKEN_ENV = 'CENTRAL_ADMIN_TOKEN';
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
  const file = loadOrCreateTokenFile(join(dataDir, ADMIN_TOKEN_FILE), options);
  return { source: 'file', ...file };
}
