import { commands, isCommandName, type CommandName, type Handlers } from '../../shared/contract';
import { err, ok, type AppError, type Result } from '../../shared/errors';
import { isSwitchboardError } from '../errors';
import type { Logger } from '../log/logger';

/** Runs one command by name with untrusted input: what every binding (IPC, HTTP) calls. */
export type Dispatch = (name: string, input: unknown) => Promise<Result<unknown>>;

/**
 * The single door into the handlers. The name must be one of the contract's commands, the input must
 * pass the command's zod schema, and whatever happens comes back as a Result: a thrown Error would
 * lose its code crossing IPC, and an unexpected one must not leak internals to a page.
 */
export function createDispatcher(handlers: Handlers, logger: Logger): Dispatch {
  return async (name, input) => {
    if (!isCommandName(name)) {
      return err({
        code: 'UNKNOWN_COMMAND',
        message: `Unknown command "${String(name).slice(0, 100)}". Known commands: ${Object.keys(commands).join(', ')}.`,
      });
    }
    const parsed = commands[name].input.safeParse(input);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) =>
        issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
      );
      return err({
        code: 'VALIDATION',
        message: `Invalid input for ${name}: ${problems.join('; ')}`,
        details: { problems },
      });
    }
    try {
      const handler = handlers[name] as (input: unknown) => Promise<unknown>;
      return ok(await handler(parsed.data));
    } catch (error) {
      return err(toAppError(name, error, logger));
    }
  };
}

function toAppError(name: CommandName, error: unknown, logger: Logger): AppError {
  if (isSwitchboardError(error)) return error.toAppError();
  logger.error('error', `${name} failed unexpectedly`, { command: name, error });
  return {
    code: 'INTERNAL',
    message: 'Something went wrong on our side. The details are in the log; please try again.',
  };
}
