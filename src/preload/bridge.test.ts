import type { IpcRendererEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createBridge, type IpcLike } from './bridge';

type Listener = (event: IpcRendererEvent, ...args: unknown[]) => void;

function fakeIpc() {
  const listeners = new Map<string, Set<Listener>>();
  const invoke = vi.fn((channel: string, input: unknown) => Promise.resolve({ channel, input }));
  const ipc: IpcLike = {
    invoke,
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
    },
  };
  const emit = (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener({} as IpcRendererEvent, payload);
  };
  const count = (channel: string) => listeners.get(channel)?.size ?? 0;
  return { ipc, invoke, emit, count };
}

describe('createBridge', () => {
  it('forwards allowed commands on cmd:<name>', async () => {
    const { ipc, invoke } = fakeIpc();
    const bridge = createBridge(ipc, ['faq.list'], []);
    await expect(bridge.invoke('faq.list', { workspaceId: 'w1' })).resolves.toEqual({
      channel: 'cmd:faq.list',
      input: { workspaceId: 'w1' },
    });
    expect(invoke).toHaveBeenCalledTimes(1);
  });

  it('rejects commands that are not allowed without touching IPC', async () => {
    const { ipc, invoke } = fakeIpc();
    const bridge = createBridge(ipc, ['faq.list'], []);
    await expect(bridge.invoke('app.quit', {})).rejects.toThrow(/"app.quit" is not an allowed command/);
    await expect(bridge.invoke(42 as unknown as string)).rejects.toThrow(/not an allowed command/);
    expect(invoke).not.toHaveBeenCalled();
  });

  it('subscribes to allowed events on evt:<name> and passes only the payload', () => {
    const { ipc, emit, count } = fakeIpc();
    const bridge = createBridge(ipc, [], ['message.received']);
    const seen: unknown[] = [];
    const unsubscribe = bridge.on('message.received', (payload) => seen.push(payload));
    emit('evt:message.received', { id: 'm1' });
    expect(seen).toEqual([{ id: 'm1' }]);

    unsubscribe();
    unsubscribe();
    emit('evt:message.received', { id: 'm2' });
    expect(seen).toEqual([{ id: 'm1' }]);
    expect(count('evt:message.received')).toBe(0);
  });

  it('refuses events that are not allowed and non-function listeners', () => {
    const { ipc, count } = fakeIpc();
    const bridge = createBridge(ipc, [], ['message.received']);
    expect(() => bridge.on('connection.changed', () => undefined)).toThrow(/not an allowed event/);
    expect(() => bridge.on('message.received', 'nope' as unknown as () => void)).toThrow(TypeError);
    expect(count('evt:connection.changed')).toBe(0);
  });
});

describe('the allow-lists', () => {
  it("are exactly the contract's commands and events", async () => {
    const { COMMAND_NAMES, EVENT_NAMES } = await import('../shared/contract-names');
    const { commands } = await import('../shared/contract');
    expect([...COMMAND_NAMES].sort()).toEqual(Object.keys(commands).sort());
    const { ipc, invoke } = fakeIpc();
    const bridge = createBridge(ipc, COMMAND_NAMES, EVENT_NAMES);
    await bridge.invoke('faq.list', { workspaceId: 'w' });
    expect(invoke).toHaveBeenCalledWith('cmd:faq.list', { workspaceId: 'w' });
    await expect(bridge.invoke('shell.openExternal', {})).rejects.toThrow(/not an allowed command/);
    expect(() => bridge.on('log.appended', () => undefined)).not.toThrow();
  });
});
