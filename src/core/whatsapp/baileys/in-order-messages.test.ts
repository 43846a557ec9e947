import { EventEmitter } from 'node:events';
import type { BinaryNode } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { handleMessagesInOrder } from './in-order-messages';

const stanza = (id: string, from: string): BinaryNode => ({ tag: 'message', attrs: { id, from } });

/** A stand-in for Baileys' handler: each stanza finishes when the test says so. */
function slowHandler() {
  const started: string[] = [];
  const finished: string[] = [];
  const release = new Map<string, () => void>();
  const handler = (node: BinaryNode) =>
    new Promise<void>((resolve) => {
      const id = node.attrs.id!;
      started.push(id);
      release.set(id, () => {
        finished.push(id);
        resolve();
      });
    });
  return { handler, started, finished, finish: (id: string) => release.get(id)!() };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('handleMessagesInOrder', () => {
  it("starts a chat's next stanza only when the one before it is handled; other chats do not wait", async () => {
    const ws = new EventEmitter();
    const slow = slowHandler();
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- Baileys' own listener is async too
    ws.on('CB:message', slow.handler);
    handleMessagesInOrder(ws, { stallMs: 60_000, onStall: () => undefined });
    ws.emit('CB:message', stanza('a1', 'ada'));
    ws.emit('CB:message', stanza('a2', 'ada'));
    ws.emit('CB:message', stanza('b1', 'bayo'));
    await tick();
    expect(slow.started).toEqual(['a1', 'b1']);
    slow.finish('a1');
    await tick();
    expect(slow.started).toEqual(['a1', 'b1', 'a2']);
    slow.finish('a2');
    slow.finish('b1');
    await tick();
    expect(slow.finished).toEqual(['a1', 'a2', 'b1']);
  });

  it('a stanza that hangs frees its chat after the stall limit, and says so', async () => {
    const ws = new EventEmitter();
    const slow = slowHandler();
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- Baileys' own listener is async too
    ws.on('CB:message', slow.handler);
    const stalls: string[] = [];
    handleMessagesInOrder(ws, { stallMs: 20, onStall: (id, chat) => stalls.push(`${chat}/${id}`) });
    ws.emit('CB:message', stanza('a1', 'ada'));
    ws.emit('CB:message', stanza('a2', 'ada'));
    await new Promise((r) => setTimeout(r, 60));
    expect(slow.started).toEqual(['a1', 'a2']);
    expect(stalls[0]).toBe('ada/a1'); // a2 hangs too, and is reported after it
  });

  it('a handler that throws does not hold its chat', async () => {
    const ws = new EventEmitter();
    const seen: string[] = [];
    ws.on('CB:message', (node: BinaryNode) => {
      seen.push(node.attrs.id!);
      if (node.attrs.id === 'a1') throw new Error('cannot decode');
    });
    handleMessagesInOrder(ws, { stallMs: 60_000, onStall: () => undefined });
    ws.emit('CB:message', stanza('a1', 'ada'));
    ws.emit('CB:message', stanza('a2', 'ada'));
    await tick();
    expect(seen).toEqual(['a1', 'a2']);
  });

  it('refuses a socket with no message handler to wrap (a Baileys that changed)', () => {
    expect(() => handleMessagesInOrder(new EventEmitter(), { stallMs: 1, onStall: () => undefined })).toThrow(
      /no message handler/,
    );
  });
});
