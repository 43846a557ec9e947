import { z } from 'zod';
import type { WorkspaceId } from './types';

/** An id in a command's input: required, trimmed, at most `max` characters, named in the error. */
export const idOf = (label: string, max = 100) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} is too long`);

/** The workspace a command acts in: an id as above, typed as a WorkspaceId. */
export const workspaceIdInput = idOf('workspaceId').transform((id) => id as WorkspaceId);
