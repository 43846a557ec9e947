const STORAGE_KEY = 'switchboard.accessToken';

/**
 * The headless host's access token in this browser. The printed link carries it as `#token=...`: it is
 * read once, kept in localStorage and removed from the address bar (the fragment never reaches a server).
 */
export function takeTokenFromLocation(): string | null {
  const match = /^#token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match === null) return null;
  history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/`);
  return match[1] ?? null;
}

export function loadToken(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, token);
  } catch {
    // Private mode: the token lasts for this page only.
  }
}

export function forgetToken(): void {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
}
