import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import log from 'electron-log/node';
import { afterAll, describe, expect, it } from 'vitest';
import { createElectronLogSink, type ElectronLogLike } from './electron-log-sink';
import { createLogger } from './logger';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-electron-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('electron-log sink', () => {
  it('writes each entry as one JSON line through electron-log', async () => {
    const file = join(dir, 'main.log');
    log.transports.console.level = false;
    log.transports.file.level = 'debug';
    log.transports.file.resolvePathFn = () => file;
    // The shell's format puts the date and level first; here the bare line makes the JSON checkable.
    log.transports.file.format = '{text}';
    const sink = createElectronLogSink(log);
    const logger = createLogger({ sinks: [sink], now: () => 42 });
    logger.debug('perf', 'debug line');
    logger
      .child({ workspaceId: 'ws' })
      .warn('connection.changed', 'Reconnecting\nsoon', { attempt: 2, token: 't' });
    await logger.close();

    const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      {
        ts: 42,
        level: 'debug',
        type: 'perf',
        workspaceId: null,
        contactId: null,
        message: 'debug line',
        meta: null,
      },
      {
        ts: 42,
        level: 'warn',
        type: 'connection.changed',
        workspaceId: 'ws',
        contactId: null,
        message: 'Reconnecting\nsoon',
        meta: { attempt: 2, token: '[redacted]' },
      },
    ]);
  });

  it('routes by level and counts a logger that throws', () => {
    const calls: string[] = [];
    const fake: ElectronLogLike = {
      debug: () => calls.push('debug'),
      info: () => calls.push('info'),
      warn: () => calls.push('warn'),
      error: () => {
        throw new Error('transport broke');
      },
    };
    const sink = createElectronLogSink(fake);
    const logger = createLogger({ sinks: [sink] });
    logger.debug('perf', 'a');
    logger.info('perf', 'b');
    logger.warn('perf', 'c');
    expect(() => logger.error('error', 'd')).not.toThrow();
    expect(calls).toEqual(['debug', 'info', 'warn']);
    expect(sink.stats()).toEqual({ written: 3, errors: 1 });
  });
});
