import { describe, expect, it } from 'vitest';
import type { WorkspaceId } from '../../../shared/types';
import { createLogger } from '../../log/logger';
import { createFakeTimers } from '../../testing/fake-timers';
import { createMemorySink } from '../../testing/memory-sink';
import { createRelayConnection } from './relay-connection';
import { createRelayTurns } from './relay-turns';
import { changeValueOf } from './relay-unroutable';

const ws = 'ws-1' as WorkspaceId;

describe('relay turns', () => {
  it("runs a workspace's tasks one after another, even after one fails", async () => {
    const turns = createRelayTurns();
    const order: string[] = [];
    let release = (): void => {};
    const first = turns.inTurn(ws, async () => {
      await new Promise<void>((resolve) => (release = resolve));
      order.push('first');
      throw new Error('first failed');
    });
    const second = turns.inTurn(ws, () => {
      order.push('second');
      return Promise.resolve(2);
    });
    const other = turns.inTurn('ws-2' as WorkspaceId, () => {
      order.push('other workspace');
      return Promise.resolve();
    });
    await other;
    expect(order).toEqual(['other workspace']);
    release();
    await expect(first).rejects.toThrow('first failed');
    await expect(second).resolves.toBe(2);
    expect(order).toEqual(['other workspace', 'first', 'second']);
  });
});

describe('relay connection', () => {
  it('sleeps until the timer, or less when the relay stops', async () => {
    const timers = createFakeTimers();
    const stopping = new AbortController();
    const connection = createRelayConnection({
      syncState: undefined as never,
      secrets: undefined as never,
      fetch,
      timers,
      log: createLogger({ sinks: [createMemorySink()] }),
      stopping: stopping.signal,
    });
    let woke = false;
    const sleeping = connection.sleep(60_000).then(() => (woke = true));
    await timers.advance(30_000);
    expect(woke).toBe(false);
    stopping.abort();
    await sleeping;
    expect(woke).toBe(true);
    await connection.sleep(60_000);
  });
});

describe('change value of a relayed notification', () => {
  it('counts messages and statuses, and nothing in what is not a notification', () => {
    const notification = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'waba',
          changes: [
            { field: 'messages', value: { messages: [{}, {}], statuses: [{}] } },
            { field: 'messages', value: { statuses: [{}] } },
          ],
        },
      ],
    };
    expect(changeValueOf(notification)).toEqual({ messages: 2, statuses: 2 });
    expect(changeValueOf({ hello: 'world' })).toEqual({ messages: 0, statuses: 0 });
  });
});
