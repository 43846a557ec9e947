import { format } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCommand, type CommandProcess, type CommandSpec } from './run-command';

/** A process that records what the command did instead of doing it. */
function fakeProcess(argv: string[]) {
  const signals = new Map<string, () => void>();
  const out: string[] = [];
  const errors: string[] = [];
  const exits: number[] = [];
  const proc: CommandProcess = {
    argv,
    onSignal: (signal, listener) => void signals.set(signal, listener),
    exit: (code) => void exits.push(code),
    log: (line) => void out.push(line),
    error: (message, detail) => void errors.push(detail === undefined ? message : format(message, detail)),
  };
  return { proc, signals, out, errors, exits };
}

interface Options {
  help: boolean;
  port: number;
}
function spec(overrides: Partial<CommandSpec<Options>> = {}): CommandSpec<Options> & { stops: number } {
  const self = {
    stops: 0,
    usage: 'Usage: thing [--port N]',
    cannotStart: 'Thing could not start:',
    parse(args: readonly string[]): Options {
      if (args.includes('--bogus')) throw new Error('Unknown option --bogus');
      return { help: args.includes('--help'), port: 1 };
    },
    start: () =>
      Promise.resolve(async () => {
        self.stops++;
        await Promise.resolve();
      }),
    ...overrides,
  };
  return self;
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('runCommand', () => {
  it('a wrong argument prints what was wrong and the usage, and exits 2 without starting', async () => {
    const p = fakeProcess(['--bogus']);
    let started = false;
    await runCommand(
      spec({
        start: () => {
          started = true;
          return Promise.resolve(() => Promise.resolve());
        },
      }),
      p.proc,
    );
    expect(p.errors).toEqual(['Unknown option --bogus\n\nUsage: thing [--port N]']);
    expect(p.exits).toEqual([2]);
    expect(started).toBe(false);
  });

  it('--help prints the usage and starts nothing', async () => {
    const p = fakeProcess(['--help']);
    await runCommand(spec(), p.proc);
    expect(p.out).toEqual(['Usage: thing [--port N]']);
    expect(p.exits).toEqual([]);
    expect(p.signals.size).toBe(0);
  });

  it('a start that fails says why and exits 1', async () => {
    const p = fakeProcess([]);
    await runCommand(spec({ start: () => Promise.reject(new Error('port 8080 is in use')) }), p.proc);
    expect(p.errors).toEqual(['Thing could not start: port 8080 is in use']);
    expect(p.exits).toEqual([1]);
  });

  it('Ctrl+C stops the service once, even when pressed again, then exits 0', async () => {
    const p = fakeProcess([]);
    const s = spec();
    await runCommand(s, p.proc);
    expect(p.exits).toEqual([]);
    p.signals.get('SIGINT')!();
    p.signals.get('SIGINT')!();
    p.signals.get('SIGTERM')!();
    await settle();
    expect(s.stops).toBe(1);
    expect(p.out).toEqual(['\nSIGINT: stopping...']);
    expect(p.exits).toEqual([0]);
  });

  it('a stop that fails is reported, and the process still exits', async () => {
    const p = fakeProcess([]);
    await runCommand(
      spec({ start: () => Promise.resolve(() => Promise.reject(new Error('disk full'))) }),
      p.proc,
    );
    p.signals.get('SIGTERM')!();
    await settle();
    expect(p.errors).toHaveLength(1);
    expect(p.errors[0]).toMatch(/^Stopping failed: Error: disk full/);
    expect(p.exits).toEqual([0]);
  });
});
