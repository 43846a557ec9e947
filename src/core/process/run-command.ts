import { format } from 'node:util';

/**
 * The life of a command-line service (`npm run serve`, `npm run central`): read the arguments (a wrong
 * one prints the usage and exits 2), `--help` prints the usage, a start that fails says so and exits 1,
 * and Ctrl+C or SIGTERM stops it once, cleanly, then exits 0. Each shell keeps only what is its own:
 * its arguments, how it starts, what it prints and how it stops.
 */
export interface CommandSpec<O extends { help: boolean }> {
  parse(args: readonly string[]): O;
  usage: string;
  /** Printed before the error when the start fails, e.g. "The central server could not start:". */
  cannotStart: string;
  /** Starts the service; resolves with the function that stops it. */
  start(options: O): Promise<() => Promise<void>>;
}

/** The parts of `process` a command uses (tests pass their own). */
export interface CommandProcess {
  argv: readonly string[];
  onSignal(signal: 'SIGINT' | 'SIGTERM', listener: () => void): void;
  exit(code: number): void;
  log(line: string): void;
  error(message: string, detail?: unknown): void;
}

export const nodeProcess: CommandProcess = {
  argv: process.argv.slice(2),
  onSignal: (signal, listener) => void process.on(signal, listener),
  exit: (code) => process.exit(code),
  // A command-line service talks on its terminal.
  log: (line) => void process.stdout.write(`${line}\n`),
  error: (message, detail) =>
    void process.stderr.write(`${detail === undefined ? message : format(message, detail)}\n`),
};

/** Resolves once the service runs (or has said why it cannot); the process lives on until a signal. */
export async function runCommand<O extends { help: boolean }>(
  spec: CommandSpec<O>,
  proc: CommandProcess = nodeProcess,
): Promise<void> {
  let options: O;
  try {
    options = spec.parse(proc.argv);
  } catch (error) {
    proc.error(`${(error as Error).message}\n\n${spec.usage}`);
    return proc.exit(2);
  }
  if (options.help) return proc.log(spec.usage);
  let stopService: () => Promise<void>;
  try {
    stopService = await spec.start(options);
  } catch (error) {
    proc.error(spec.cannotStart, error instanceof Error ? error.message : error);
    return proc.exit(1);
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    proc.log(`\n${signal}: stopping...`);
    stopService()
      .catch((error: unknown) => proc.error('Stopping failed:', error))
      .finally(() => proc.exit(0));
  };
  proc.onSignal('SIGINT', () => stop('SIGINT'));
  proc.onSignal('SIGTERM', () => stop('SIGTERM'));
}
