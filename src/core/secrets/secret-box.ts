/**
 * Seals small secrets (the central server's workspace tokens) before they are written to the database,
 * so a copy of switchboard.db alone (a backup on a USB stick, a file sent for support) does not carry
 * a working key. Each shell picks the strongest box it has: the desktop app one built on the operating
 * system's key store (Electron's safeStorage), headless hosts and tests the key-file box.
 */
export interface SecretBox {
  /** Returns printable text that starts with a version prefix such as `v1:`. */
  seal(plain: string): string;
  /** The plain text back; throws a SecretBoxError when the value was changed or sealed with another key. */
  open(sealed: string): string;
}

/** A sealed value that cannot be opened: it was altered, or sealed on another computer or data folder. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}
