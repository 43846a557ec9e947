import { join } from 'node:path';
import { loadOrCreateTokenFile, newToken, type TokenFile } from '../core/secrets/index';

export { tokenMatches } from '../core/secrets/index';

export const ACCESS_TOKEN_FILE = 'access-token';

export type AccessToken = TokenFile;

export const newAccessToken = newToken;

/**
 * The headless host's access token, kept in the data folder with owner-only permissions (0600). A
 * missing or malformed file gets a new token; `rotate` replaces a good one.
 */
export function loadOrCreateAccessToken(dataDir: string, options: { rotate?: boolean } = {}): AccessToken {
  return loadOrCreateTokenFile(join(dataDir, ACCESS_TOKEN_FILE), options);
}
