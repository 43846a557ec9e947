import { describe, expect, it } from 'vitest';
import { DEFAULT_HOST, DEFAULT_PORT, defaultDataDir, isLoopback, parseCentralArgs } from './cli';

describe('parseCentralArgs', () => {
  it('defaults to this computer only, port 8787, SQLite in the default data folder', () => {
    expect(parseCentralArgs([], {})).toEqual({
      host: DEFAULT_HOST,
      port: DEFAULT_PORT,
      dataDir: defaultDataDir(),
      databaseUrl: undefined,
      newAdminToken: false,
      help: false,
    });
    expect(DEFAULT_PORT).toBe(8787);
    expect(DEFAULT_HOST).toBe('127.0.0.1');
  });

  it('reads the environment, and flags win over it', () => {
    const env = {
      CENTRAL_HOST: '0.0.0.0',
      CENTRAL_PORT: '9000',
      CENTRAL_DATA_DIR: '/srv/central',
      DATABASE_URL: 'postgres://u:p@db:5432/central',
    };
    expect(parseCentralArgs([], env)).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      dataDir: '/srv/central',
      databaseUrl: env.DATABASE_URL,
    });
    expect(
      parseCentralArgs(
        ['--port=0', '--data-dir', '/d', '--database-url', 'postgresql://x/y', '--new-admin-token'],
        env,
      ),
    ).toMatchObject({
      port: 0,
      dataDir: '/d',
      databaseUrl: 'postgresql://x/y',
      newAdminToken: true,
    });
    expect(parseCentralArgs([], { DATABASE_URL: '  ' }).databaseUrl).toBeUndefined();
  });

  it('refuses unknown options, bad values and non-PostgreSQL URLs with a message', () => {
    expect(() => parseCentralArgs(['--prot', '1'], {})).toThrow('Unknown option --prot');
    expect(() => parseCentralArgs(['--port', 'eighty'], {})).toThrow(/--port must be a number/);
    expect(() => parseCentralArgs([], { CENTRAL_PORT: '70000' })).toThrow(/CENTRAL_PORT must be a number/);
    expect(() => parseCentralArgs(['--host'], {})).toThrow('--host needs a value');
    expect(() => parseCentralArgs(['--database-url', 'mysql://x'], {})).toThrow(
      /must start with postgres:\/\//,
    );
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['localhost', true],
    ['::1', true],
    ['0.0.0.0', false],
    ['10.0.0.5', false],
  ])('%s: %s', (host, expected) => expect(isLoopback(host)).toBe(expected));
});
