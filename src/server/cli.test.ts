import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, defaultDataDir, isLoopback, parseServeArgs } from './cli';

describe('parseServeArgs', () => {
  it('defaults to this computer only, the default port and data folder', () => {
    expect(parseServeArgs([], {})).toEqual({
      demo: false,
      host: '127.0.0.1',
      port: DEFAULT_PORT,
      dataDir: defaultDataDir(),
      newToken: false,
      build: true,
      help: false,
    });
  });

  it('uses a temporary folder in demo mode unless one is given', () => {
    expect(parseServeArgs(['--demo'], {}).dataDir).toBeUndefined();
    expect(parseServeArgs(['--demo', '--data-dir', '/d'], {}).dataDir).toBe('/d');
    expect(parseServeArgs(['--demo'], { SWITCHBOARD_DATA_DIR: '/env' }).dataDir).toBe('/env');
  });

  it('reads values given with a space or an equals sign', () => {
    expect(parseServeArgs(['--port=0', '--host', '0.0.0.0', '--new-token', '--no-build'], {})).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      newToken: true,
      build: false,
    });
  });

  it('refuses unknown options and bad values with a message', () => {
    expect(() => parseServeArgs(['--dmeo'], {})).toThrow('Unknown option --dmeo');
    expect(() => parseServeArgs(['--port', 'eighty'], {})).toThrow(/--port must be a number/);
    expect(() => parseServeArgs(['--port', '70000'], {})).toThrow(/--port must be a number/);
    expect(() => parseServeArgs(['--host'], {})).toThrow('--host needs a value');
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['0.0.0.0', false],
    ['192.168.1.10', false],
  ])('%s: %s', (host, expected) => expect(isLoopback(host)).toBe(expected));
});
