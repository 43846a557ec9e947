import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './unavailable';

describe('isDatabaseUnavailable', () => {
  it('tells an unreachable or busy database from a failed query', () => {
    const withCode = (code: string) => Object.assign(new Error(code), { code });
    for (const code of ['ECONNREFUSED', '08006', '57P01', '53300', 'SQLITE_BUSY', 'SQLITE_READONLY', '25006'])
      expect(isDatabaseUnavailable(withCode(code))).toBe(true);
    for (const code of ['23505', '23514', '42P01', 'SQLITE_CONSTRAINT_CHECK'])
      expect(isDatabaseUnavailable(withCode(code))).toBe(false);
    expect(isDatabaseUnavailable(new Error('plain'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
