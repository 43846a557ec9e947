import type { CommandName, CommandOutput, EventName, Events, InputArgs } from '../../../shared/contract';
import type { ErrorCode, Result } from '../../../shared/errors';

/** Whether live events are flowing (the browser's WebSocket can drop and come back). */
export type StreamStatus = 'open' | 'reconnecting';

/** How the UI reaches the core: Electron IPC through the preload, or HTTP + WebSocket. */
export interface Transport {
  call(name: CommandName, input: unknown): Promise<Result<unknown>>;
  subscribe(event: EventName, fn: (payload: unknown) => void): () => void;
  onStreamStatus(fn: (status: StreamStatus) => void): () => void;
  close(): void;
}

/** A command that came back `{ ok: false }`: the core's code and a message written for the owner. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The renderer's only way to the app, typed from the contract. */
export interface SwitchboardClient {
  invoke<K extends CommandName>(name: K, ...input: InputArgs<K>): Promise<CommandOutput<K>>;
  on<E extends EventName>(event: E, fn: (payload: Events[E]) => void): () => void;
  onStreamStatus(fn: (status: StreamStatus) => void): () => void;
  close(): void;
}

export function createClient(transport: Transport): SwitchboardClient {
  return {
    async invoke(name, ...input) {
      const result = await transport.call(name, input[0] ?? {});
      if (!result.ok) throw new CommandError(result.error.code, result.error.message);
      return result.value as never;
    },
    on(event, fn) {
      return transport.subscribe(event, fn as (payload: unknown) => void);
    },
    onStreamStatus: (fn) => transport.onStreamStatus(fn),
    close: () => transport.close(),
  };
}

/** A message for any failure: the core's own words, or a plain one for the unexpected. */
export function errorMessage(error: unknown): string {
  if (error instanceof CommandError) return error.message;
  return 'Something went wrong. Please try again.';
}
