import type { Result } from '../../../shared/errors';
import type { Transport } from './client';

/** `window.switchboard`, as the desktop app's preload exposes it. */
export interface PreloadBridge {
  invoke(name: string, input?: unknown): Promise<unknown>;
  on(event: string, fn: (payload: unknown) => void): () => void;
}

export function createIpcTransport(bridge: PreloadBridge): Transport {
  return {
    call: async (name, input) => (await bridge.invoke(name, input)) as Result<unknown>,
    subscribe: (event, fn) => bridge.on(event, fn),
    // IPC does not drop: the stream is always open.
    onStreamStatus: () => () => undefined,
    close: () => undefined,
  };
}
