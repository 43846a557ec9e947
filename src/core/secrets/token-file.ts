import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A bearer token kept in a file with owner-only permissions (0600): the headless host's access token
 * and the central server's admin token. One place for making, reading, repairing and comparing them.
 */

/** 32 random bytes, base64url: also valid inside a WebSocket subprotocol name. */
export const newToken = (): string => randomBytes(32).toString('base64url');
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface TokenFile {
  token: string;
  path: string;
  /** True when this start made the token: the only time it is printed. */
  created: boolean;
  /** The file was readable by others and has been made owner-only again. */
  repairedPermissions: boolean;
}

/** A missing or malformed file gets a new token; `rotate` replaces a good one. */
export function loadOrCreateTokenFile(path: string, options: { rotate?: boolean } = {}): TokenFile {
  mkdirSync(dirname(path), { recursive: true });
  if (options.rotate !== true) {
    const existing = readToken(path);
    if (existing !== undefined) {
      let repairedPermissions = false;
      // Windows has no POSIX modes: the user's profile folder is what protects the file there.
      if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
        chmodSync(path, 0o600);
        repairedPermissions = true;
      }
      return { token: existing, path, created: false, repairedPermissions };
    }
  }
  const token = newToken();
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created; an existing file keeps its mode unless told.
  if (process.platform !== 'win32') chmodSync(path, 0o600);
  return { token, path, created: true, repairedPermissions: false };
}

function readToken(path: string): string | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return TOKEN_PATTERN.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function tokenMatches(candidate: string | undefined, token: string): boolean {
  if (candidate === undefined || candidate === '') return false;
  const a = createHash('sha256').update(candidate).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/** Whether a listen address is reachable only from this computer. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
