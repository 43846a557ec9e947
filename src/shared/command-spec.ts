import { z } from 'zod';

/** One command of the contract: its input schema (a value, checked at run time) and its output type. */
export interface CommandSpec<Input extends z.ZodType, Output> {
  input: Input;
  /** Type only: never read at run time. */
  output: Output;
}

/**
 * `command<Output>()(inputSchema)`: the schema is a value, the output a type. Every part of the
 * contract (contract.ts and the *-contract.ts beside it) builds its commands with this one.
 */
export const command =
  <Output>() =>
  <Input extends z.ZodType>(input: Input): CommandSpec<Input, Output> => ({
    input,
    output: undefined as unknown as Output,
  });

/** The input of a command that takes none: `{}`, or nothing at all. */
export const noInput = z.strictObject({}).default({});
