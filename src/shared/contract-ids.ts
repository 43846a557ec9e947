import { z } from 'zod';

/** An id in a command's input: required, trimmed, at most 100 characters, named in the error. */
export const idOf = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(100, `${label} is too long`);
