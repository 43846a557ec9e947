/**
 * Error codes that cross every boundary (IPC, HTTP). A thrown Error loses its fields over IPC, so
 * results travel as `Result` objects carrying one of these codes and a message a shop owner can act on.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'INVALID_PHONE_NUMBER',
  'DATABASE_CORRUPT',
  'DATABASE_TOO_NEW',
  'DATABASE_UNAVAILABLE',
  'BACKUP_FAILED',
  'INTERNAL',
  // Raised by the bindings (IPC, HTTP) rather than the core's services.
  'UNKNOWN_COMMAND',
  'UNAUTHORIZED',
  'PAYLOAD_TOO_LARGE',
  /** The command exists but not in this shell or mode (start at login in a browser, demo commands). */
  'UNAVAILABLE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });
