// Every event type the core logs has a sentence in the Activity log (src/shared/log-sentence.ts): the
// types are read from the core's own log calls, so a new one without a sentence fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SENTENCES } from '../../src/shared/log-sentence';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sources(path);
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

/**
 * `log.warn('handoff.requested', ...)`, `logger.log(level, 'x.y', ...)`, `.log(failed ? 'warn' : 'debug',
 * 'message.ack', ...)`: the first 'domain.action' literal among a log call's first arguments; and
 * `type: 'log.dropped'` in the log's own entries.
 */
function emittedTypes(): Set<string> {
  const found = new Set<string>();
  const call =
    /\.(?:debug|info|warn|error|log|perf|time)\(([^;'`]|'[a-z-]*'){0,120}?'([a-z_]+\.[a-z_.]+|error|perf)'/g;
  const field = /\btype: '([a-z_]+\.[a-z_]+)'/g;
  for (const dir of ['src/core', 'src/main', 'src/server', 'src/central']) {
    for (const file of sources(join(ROOT, dir))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(call)) found.add(match[2]!);
      if (/log/.test(file)) for (const match of text.matchAll(field)) found.add(match[1]!);
    }
  }
  return found;
}

describe('the Activity log’s sentences', () => {
  it('cover every event type the core logs', () => {
    const types = emittedTypes();
    // The scan finds the log calls (a broken pattern would find none and pass vacuously).
    expect(types.size).toBeGreaterThan(80);
    for (const known of [
      'message.decided',
      'handoff.requested',
      'message.ack',
      'baileys.notice',
      'sync.failed',
    ])
      expect(types).toContain(known);
    const missing = [...types].filter((type) => SENTENCES[type] === undefined).sort();
    expect(missing, 'event types without a sentence in src/shared/log-sentence.ts').toEqual([]);
  });
});
