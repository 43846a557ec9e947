import { describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES } from '../shared/contract-names';
import { ok, type Result } from '../shared/errors';
import { createEventHub } from '../core/handlers/index';
import {
  bindContractToIpc,
  forwardEventsToWindow,
  type IpcInvokeEventLike,
  type IpcMainLike,
} from './ipc-binding';

type Listener = (event: IpcInvokeEventLike, input: unknown) => Promise<Result<unknown>>;

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  return { ipc, handlers };
}

const appPage = 'file:///opt/Switchboard/out/renderer/index.html';
const fromApp: IpcInvokeEventLike = { senderFrame: { url: `${appPage}#/faqs` } };

describe('bindContractToIpc', () => {
  it("handles exactly the contract's commands on cmd:<name> and unbinds them all", () => {
    const { ipc, handlers } = fakeIpcMain();
    const unbind = bindContractToIpc(ipc, vi.fn(), () => true);
    expect([...handlers.keys()].sort()).toEqual(COMMAND_NAMES.map((n) => `cmd:${n}`).sort());
    unbind();
    expect(handlers.size).toBe(0);
  });

  it('dispatches calls from the app page with their raw input', async () => {
    const { ipc, handlers } = fakeIpcMain();
    const dispatch = vi.fn((name: string, input: unknown) => Promise.resolve(ok({ name, input })));
    bindContractToIpc(ipc, dispatch, (url) => url.startsWith(appPage));
    const result = await handlers.get('cmd:faq.list')!(fromApp, { workspaceId: 'w1' });
    expect(result).toEqual({ ok: true, value: { name: 'faq.list', input: { workspaceId: 'w1' } } });
  });

  it('refuses calls from any other page, or a frame that is gone, without dispatching', async () => {
    const { ipc, handlers } = fakeIpcMain();
    const dispatch = vi.fn();
    bindContractToIpc(ipc, dispatch, (url) => url.startsWith(appPage));
    for (const event of [{ senderFrame: { url: 'https://evil.example/' } }, { senderFrame: null }]) {
      expect(await handlers.get('cmd:workspace.list')!(event, {})).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHORIZED' },
      });
    }
    expect(dispatch).not.toHaveBeenCalled();
  });
});

describe('forwardEventsToWindow', () => {
  it('sends every event on evt:<name> while there is a window', () => {
    const hub = createEventHub();
    const sent: [string, unknown][] = [];
    let window: { send(channel: string, payload: unknown): void } | undefined = {
      send: (channel, payload) => sent.push([channel, payload]),
    };
    const stop = forwardEventsToWindow(hub, () => window);
    hub.emit('faq.changed', { workspaceId: 'w1' as never });
    window = undefined;
    hub.emit('faq.changed', { workspaceId: 'w2' as never });
    expect(sent).toEqual([['evt:faq.changed', { workspaceId: 'w1' }]]);
    stop();
  });
});
