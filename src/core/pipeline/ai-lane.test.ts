import { describe, expect, it } from 'vitest';
import { createAiLane } from './ai-lane';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('AI lane', () => {
  it('runs one task at a time per chat, in order, and other chats alongside up to the limit', async () => {
    const lane = createAiLane({ concurrency: 2, onError: () => undefined });
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`${name}:start`);
      await tick(ms);
      log.push(`${name}:end`);
    };
    lane.push('chat-1', task('a1', 30));
    lane.push('chat-1', task('a2', 1));
    lane.push('chat-2', task('b1', 1));
    lane.push('chat-3', task('c1', 1));
    expect(lane.holds('chat-1')).toBe(true);
    expect(lane.size).toBe(4);
    await lane.idle();
    expect(log.indexOf('a2:start')).toBeGreaterThan(log.indexOf('a1:end'));
    // chat-2 ran beside chat-1; chat-3 waited for a free slot, not for chat-1's second task.
    expect(log.indexOf('b1:start')).toBeLessThan(log.indexOf('a1:end'));
    expect(log.indexOf('c1:start')).toBeLessThan(log.indexOf('a1:end'));
    expect(lane.holds('chat-1')).toBe(false);
    expect(lane.size).toBe(0);
  });

  it('a failing task is reported and the chat goes on', async () => {
    const errors: unknown[] = [];
    const lane = createAiLane({ concurrency: 1, onError: (e) => errors.push(e) });
    let ran = false;
    lane.push('chat', () => Promise.reject(new Error('model down')));
    lane.push('chat', () => {
      ran = true;
      return Promise.resolve();
    });
    await lane.idle();
    expect(errors).toHaveLength(1);
    expect(ran).toBe(true);
  });

  it('stop aborts what runs, drops what waits, and refuses new work', async () => {
    const lane = createAiLane({ concurrency: 1, onError: () => undefined });
    let aborted = false;
    let second = false;
    lane.push(
      'chat',
      (signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          }),
        ),
    );
    lane.push('chat', () => {
      second = true;
      return Promise.resolve();
    });
    await tick();
    lane.stop();
    await lane.idle();
    lane.push('chat', () => {
      second = true;
      return Promise.resolve();
    });
    await tick();
    expect(aborted).toBe(true);
    expect(second).toBe(false);
    expect(lane.size).toBe(0);
  });
});
