/**
 * Errors that say the database cannot be reached or is busy, not that the request was wrong: 503, so a
 * client retries later. Network errors of the PostgreSQL driver, PostgreSQL's connection exceptions
 * (class 08), shutdown and too-many-connections states, a locked SQLite file, and a database that became
 * read-only after the start (checked there): the client waits instead of taking it for a poison batch.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // pg's own errors for a dropped connection and an exhausted pool carry no code.
  if (/^Connection terminated|timeout exceeded when trying to connect/i.test(error.message)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code) ||
    code.startsWith('08') ||
    ['57P01', '57P02', '57P03', '53300'].includes(code) ||
    code === 'SQLITE_BUSY' ||
    code === 'SQLITE_LOCKED' ||
    code.startsWith('SQLITE_READONLY') ||
    code === '25006'
  );
}
