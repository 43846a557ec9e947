// The renderer's only door to the main process, kept free of a runtime `electron` import so it can be
// unit-tested in plain Node. index.ts hands it the real ipcRenderer.
import type { IpcRendererEvent } from 'electron';
import { commandChannel, eventChannel } from '../shared/contract-names';

export { commandChannel, eventChannel };

/** The slice of ipcRenderer the bridge uses. */
export interface IpcLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
}

/**
 * What `window.switchboard` looks like to the renderer: untyped here on purpose (the renderer wraps it
 * in a client typed from the contract); the allow-lists decide what gets through.
 */
export interface SwitchboardBridge {
  invoke(name: string, input?: unknown): Promise<unknown>;
  on(event: string, fn: (payload: unknown) => void): () => void;
}

export function createBridge(
  ipc: IpcLike,
  allowedCommands: readonly string[],
  allowedEvents: readonly string[],
): SwitchboardBridge {
  const commands = new Set(allowedCommands);
  const events = new Set(allowedEvents);
  return {
    invoke(name, input) {
      if (typeof name !== 'string' || !commands.has(name)) {
        return Promise.reject(
          new Error(
            `switchboard.invoke: "${String(name)}" is not an allowed command (see the preload allow-list)`,
          ),
        );
      }
      return ipc.invoke(commandChannel(name), input);
    },
    on(event, fn) {
      if (typeof event !== 'string' || !events.has(event)) {
        throw new Error(
          `switchboard.on: "${String(event)}" is not an allowed event (see the preload allow-list)`,
        );
      }
      if (typeof fn !== 'function') {
        throw new TypeError('switchboard.on: the listener must be a function');
      }
      const channel = eventChannel(event);
      // Only the payload crosses: the IpcRendererEvent (with its `sender`) never reaches the page.
      const listener = (_event: IpcRendererEvent, payload?: unknown): void => fn(payload);
      ipc.on(channel, listener);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(channel, listener);
      };
    },
  };
}
