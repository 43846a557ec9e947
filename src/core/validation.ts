import type { z } from 'zod';
import { SwitchboardError } from './errors';

/** Parses untrusted input; a failure becomes one VALIDATION error listing every problem found. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  throw new SwitchboardError('VALIDATION', `Invalid ${what}: ${problems.join('; ')}`, { problems });
}
