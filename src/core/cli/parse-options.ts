import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

/**
 * The shells' command lines, parsed by `node:util` parseArgs (strict: an unknown option is an error),
 * with its errors reworded for the person at the terminal ("--host needs a value", "Unknown option
 * --prot") and an empty value (`--host=`) refused like a missing one.
 */
export function parseOptions<const O extends Options>(
  argv: readonly string[],
  options: O,
  allowPositionals = false,
): Parsed<O> {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new Error(reword(error));
  }
  if (!allowPositionals && parsed.positionals.length > 0) {
    throw new Error(`Unknown option ${parsed.positionals[0]}`);
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.includes('')) throw new Error(`--${name} needs a value`);
  }
  return parsed;
}

function reword(error: unknown): string {
  const { code, message } = error as { code?: string; message: string };
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  if (option === undefined) return message;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && !/does not take/.test(message))
    return `${option} needs a value`;
  return message;
}

/** The options both servers take (the host and the central server): where to listen, the data folder, help. */
export const SERVER_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** A port typed at the terminal or in the environment; `what` names where it came from in the error. */
export function parsePort(text: string, what: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new Error(`${what} must be a number from 0 to 65535, not "${text}"`);
  return port;
}
