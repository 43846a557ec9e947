import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJsonLinesFileSink } from './json-lines-file-sink';
import { createLogger } from './logger';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-file-sink-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function readLines(file: string): Record<string, unknown>[] {
  const text = readFileSync(join(dir, file), 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('json-lines file sink', () => {
  it('writes one JSON object per line', async () => {
    const sink = createJsonLinesFileSink({ dir });
    const logger = createLogger({ sinks: [sink], now: () => 1_000 });
    logger.child({ workspaceId: 'ws' }).info('message.sent', 'Sent\nreply', { chatId: 'c', password: 'p' });
    logger.error('error', 'Boom', { error: new Error('x') });
    await logger.close();
    const lines = readLines('switchboard.log');
    expect(lines[0]).toEqual({
      ts: 1_000,
      level: 'info',
      type: 'message.sent',
      workspaceId: 'ws',
      contactId: null,
      message: 'Sent\nreply',
      meta: { chatId: 'c', password: '[redacted]' },
    });
    expect(lines[1]).toMatchObject({ level: 'error', meta: { error: { name: 'Error', message: 'x' } } });
  });

  it('rotates at maxBytes and keeps maxFiles files of valid lines', async () => {
    const sink = createJsonLinesFileSink({ dir, maxBytes: 2_000, maxFiles: 3 });
    const logger = createLogger({ sinks: [sink] });
    for (let i = 0; i < 400; i++) {
      logger.info('perf', `entry ${i}`, { i, padding: 'x'.repeat(i % 50) });
      // Let some lines go out in separate appends, as in a running app.
      if (i % 37 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await logger.flush();
    expect(readdirSync(dir).sort()).toEqual(['switchboard.1.log', 'switchboard.2.log', 'switchboard.log']);
    const files = ['switchboard.2.log', 'switchboard.1.log', 'switchboard.log'];
    const all: number[] = [];
    for (const file of files) {
      const bytes = readFileSync(join(dir, file)).length;
      expect(bytes).toBeLessThanOrEqual(2_000);
      all.push(...readLines(file).map((line) => (line.meta as { i: number }).i));
    }
    // The newest lines survive, in order, with nothing missing in between.
    expect(all.at(-1)).toBe(399);
    expect(all).toEqual(Array.from({ length: all.length }, (_, k) => 400 - all.length + k));
    expect(sink.stats().rotations).toBeGreaterThan(3);
    expect(sink.stats().errors).toBe(0);
    await logger.close();
  });

  it('appends to an existing file and counts its size toward rotation', async () => {
    writeFileSync(join(dir, 'switchboard.log'), `${JSON.stringify({ old: true })}\n`.repeat(20));
    const sink = createJsonLinesFileSink({ dir, maxBytes: 300, maxFiles: 2 });
    createLogger({ sinks: [sink] }).info('perf', 'new');
    await sink.close();
    expect(readLines('switchboard.1.log')).toHaveLength(20);
    expect(readLines('switchboard.log')).toMatchObject([{ message: 'new' }]);
  });

  it('swallows and counts errors when the directory cannot be written', async () => {
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, 'file in the way');
    const sink = createJsonLinesFileSink({ dir: join(blocker, 'logs') });
    const logger = createLogger({ sinks: [sink] });
    expect(() => logger.info('perf', 'lost')).not.toThrow();
    await logger.flush();
    expect(sink.stats()).toMatchObject({ written: 0, dropped: 1 });
    expect(sink.stats().errors).toBeGreaterThan(0);
    await logger.close();
  });

  it('drops lines beyond maxPendingBytes instead of growing without bound', async () => {
    const sink = createJsonLinesFileSink({ dir, maxPendingBytes: 1_000 });
    const logger = createLogger({ sinks: [sink] });
    for (let i = 0; i < 50; i++) logger.info('perf', 'y'.repeat(100));
    await logger.close();
    const { written, dropped } = sink.stats();
    expect(written + dropped).toBe(50);
    expect(dropped).toBeGreaterThan(0);
  });
});
