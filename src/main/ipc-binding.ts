// The contract over Electron IPC, without a runtime `electron` import so it can be unit-tested in plain
// Node: index.ts hands in ipcMain and the window's webContents.
import { COMMAND_NAMES, commandChannel, eventChannel } from '../shared/contract-names';
import { err, type Result } from '../shared/errors';
import type { Dispatch, EventHub } from '../core/handlers/index';

/** The slice of ipcMain the binding uses. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcInvokeEventLike, input: unknown) => Promise<Result<unknown>>,
  ): void;
  removeHandler(channel: string): void;
}

export interface IpcInvokeEventLike {
  /** The frame that sent the call (null when it navigated away meanwhile). */
  senderFrame: { url: string } | null;
}

/**
 * One `ipcMain.handle('cmd:<name>')` per command of the contract. Each call is checked to come from
 * the app's own page (a frame showing anything else gets UNAUTHORIZED), then dispatched: the input is
 * validated against the command's schema there, and the answer is always a Result. Returns the unbind.
 */
export function bindContractToIpc(
  ipc: IpcMainLike,
  dispatch: Dispatch,
  isAppPage: (url: string) => boolean,
): () => void {
  for (const name of COMMAND_NAMES) {
    ipc.handle(commandChannel(name), (event, input) => {
      const url = event.senderFrame?.url;
      if (url === undefined || !isAppPage(url)) {
        return Promise.resolve(
          err({ code: 'UNAUTHORIZED', message: 'Only the Switchboard window may call the app.' }),
        );
      }
      return dispatch(name, input);
    });
  }
  return () => {
    for (const name of COMMAND_NAMES) ipc.removeHandler(commandChannel(name));
  };
}

/** Every contract event goes to the window on `evt:<name>` (when there is one to send to). */
export function forwardEventsToWindow(
  events: Pick<EventHub, 'onAny'>,
  target: () => { send(channel: string, payload: unknown): void } | undefined,
): () => void {
  return events.onAny((event, payload) => target()?.send(eventChannel(event), payload));
}
