import { describe, expect, it } from 'vitest';
import { createFakeTimers } from '../testing/fake-timers';
import type { Batch } from './batch';
import { createBatchSizer, POISON_AFTER } from './batch-sizer';
import { createFailureStreak } from './failure-streak';
import { classifyIngestResponse, refusedKeyMessage } from './ingest-outcome';
import { createPushLoop, type PusherPhase } from './push-loop';

function batchOf(...seqs: number[]): Batch {
  return {
    events: seqs.map((seq) => ({ seq }) as Batch['events'][number]),
    json: [],
    bytes: 0,
    scannedThrough: seqs.at(-1) ?? 0,
    full: false,
  };
}

describe('batch sizer', () => {
  it('halves a refused batch down to one event, withholds it once, then gives up', () => {
    const sizer = createBatchSizer(8);
    expect(sizer.refuse(batchOf(1, 2, 3, 4, 5, 6, 7, 8), 'too big')).toEqual({ kind: 'halved', limit: 4 });
    expect(sizer.limit).toBe(4);
    expect(sizer.refuse(batchOf(1, 2), 'too big')).toEqual({ kind: 'halved', limit: 1 });
    expect(sizer.refuse(batchOf(1), 'bad event')).toEqual({ kind: 'withheld', seq: 1 });
    expect(sizer.withheld.get(1)).toBe('bad event');
    expect(sizer.refuse(batchOf(1), 'bad event')).toEqual({ kind: 'exhausted', seq: 1 });
  });

  it('doubles back to the limit and forgets withheld events once acknowledged', () => {
    const sizer = createBatchSizer(8);
    sizer.refuse(batchOf(1, 2, 3, 4), 'no');
    sizer.refuse(batchOf(1), 'no');
    sizer.acked(1);
    expect(sizer.withheld.size).toBe(0);
    expect(sizer.limit).toBe(4);
    sizer.acked(2);
    sizer.acked(3);
    expect(sizer.limit).toBe(8);
  });

  it('calls the same batch failing with 500 several times in a row a poison batch, never a 502', () => {
    const sizer = createBatchSizer(8);
    for (let i = 1; i < POISON_AFTER; i += 1) expect(sizer.isPoison(batchOf(5, 6), 500)).toBe(false);
    expect(sizer.isPoison(batchOf(5, 6), 500)).toBe(true);
    for (let i = 0; i < POISON_AFTER * 2; i += 1) expect(sizer.isPoison(batchOf(5, 6), 502)).toBe(false);
    // A different batch starts a new count.
    expect(sizer.isPoison(batchOf(5, 6), 500)).toBe(false);
    expect(sizer.isPoison(batchOf(7), 500)).toBe(false);
  });
});

describe('failure streak', () => {
  it('counts failures, says when the message is new, and reports the recovery once', () => {
    const streak = createFailureStreak();
    expect(streak.bump()).toBe(1);
    expect(streak.note('down')).toBe(true);
    expect(streak.bump()).toBe(2);
    expect(streak.note('down')).toBe(false);
    streak.restart();
    expect(streak.count).toBe(0);
    expect(streak.note('down')).toBe(false);
    expect(streak.succeed()).toBe(true);
    expect(streak.succeed()).toBe(false);
  });
});

describe('ingest outcome', () => {
  it('reads each kind of answer', () => {
    const answer = (status: number, text: string, retryAfter: string | null = null) =>
      classifyIngestResponse({ status, text, retryAfter }, 0);
    expect(answer(200, '{"ackedSeq":4,"stored":4,"duplicates":0}').kind).toBe('acked');
    expect(answer(200, 'not json')).toMatchObject({ kind: 'failed', status: 200 });
    expect(answer(401, '{"error":{"code":"UNAUTHORIZED","message":"revoked"}}')).toEqual({
      kind: 'unauthorized',
      status: 401,
      message: 'revoked',
    });
    expect(answer(413, '<html><b>Too large</b></html>')).toEqual({
      kind: 'rejected',
      status: 413,
      message: 'Too large',
    });
    expect(answer(429, '', '3')).toEqual({
      kind: 'wait',
      status: 429,
      message: 'no details',
      retryAfterMs: 3000,
    });
    expect(answer(502, 'Bad gateway')).toEqual({ kind: 'failed', status: 502, message: 'Bad gateway' });
  });

  it('adds the way out to a refused key unless the server already names it', () => {
    expect(refusedKeyMessage(401, 'revoked')).toMatch(/revoked\. Enroll again with a new code/);
    expect(refusedKeyMessage(401, 'Ask for a new code.')).toMatch(/Ask for a new code\.$/);
  });
});

describe('push loop', () => {
  it('runs one step at a time, reports phase changes, and stops after the step in flight', async () => {
    const timers = createFakeTimers();
    const phases: PusherPhase[] = [];
    let steps = 0;
    let release = (): void => {};
    const loop = createPushLoop({
      timers,
      step: () => {
        steps += 1;
        return new Promise<void>((resolve) => (release = resolve));
      },
      onError: () => {},
      onChange: (important) => {
        if (important) phases.push(loop.phase);
      },
    });
    loop.start();
    await timers.advance(0);
    expect(steps).toBe(1);
    loop.nudge();
    await timers.advance(0);
    expect(steps).toBe(1);
    loop.retryIn(1_000);
    expect(loop.nextAttemptAt).toBe(timers.now() + 1_000);
    let aborted = false;
    const stopping = loop.stop(() => {
      aborted = true;
      release();
    });
    await stopping;
    expect(aborted).toBe(true);
    expect(loop.phase).toBe('stopped');
    await timers.advance(2_000);
    expect(steps).toBe(1);
    expect(phases).toEqual(['retrying']);
  });

  it('hands a step that throws to onError and keeps going', async () => {
    const timers = createFakeTimers();
    const errors: unknown[] = [];
    const loop = createPushLoop({
      timers,
      step: () => Promise.reject(new Error('database closed')),
      onError: (error) => errors.push(error),
      onChange: () => {},
    });
    loop.start();
    await timers.advance(0);
    await loop.settled();
    expect(errors).toHaveLength(1);
    expect(loop.stopped).toBe(false);
  });
});
