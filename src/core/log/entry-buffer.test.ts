import { describe, expect, it } from 'vitest';
import type { LogLevel } from '../../shared/types';
import { createEntryBuffer } from './entry-buffer';
import type { LogEntry } from './log-types';

const entry = (level: LogLevel, message: string): LogEntry => ({
  ts: 0,
  level,
  type: 'test.entry',
  workspaceId: null,
  contactId: null,
  message,
  meta: null,
});

describe('entry buffer', () => {
  it('takes entries in order and drops the oldest debug entry first, then the oldest', () => {
    const buffer = createEntryBuffer();
    buffer.push(entry('info', 'a'));
    buffer.push(entry('debug', 'b'));
    buffer.push(entry('warn', 'c'));
    buffer.push(entry('debug', 'd'));
    expect(buffer.dropOldest()).toBe('debug');
    expect(buffer.size()).toBe(3);
    expect(buffer.take(1).map((e) => e.message)).toEqual(['a']);
    expect(buffer.dropOldest()).toBe('debug');
    expect(buffer.dropOldest()).toBe('warn');
    expect(buffer.dropOldest()).toBeUndefined();
    expect(buffer.size()).toBe(0);
  });

  it('stays in order across compaction of a long run', () => {
    const buffer = createEntryBuffer();
    for (let i = 0; i < 5_000; i++) buffer.push(entry(i % 3 === 0 ? 'debug' : 'info', String(i)));
    const taken = buffer.take(3_000).map((e) => Number(e.message));
    expect(taken).toEqual([...Array(3_000).keys()]);
    expect(buffer.dropOldest()).toBe('debug');
    expect(Number(buffer.take(1)[0]!.message)).toBe(3_001);
    expect(buffer.size()).toBe(1_998);
  });
});
