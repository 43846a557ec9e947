import type { z } from 'zod';
import { cloudNumberRegistration, type CloudNumberRegistration } from '../../shared/relay-protocol';

export const CLOUD_NUMBER_FIELDS = ['phoneNumberId', 'workspaceId', 'appSecret', 'verifyToken'] as const;
export type CloudNumberField = (typeof CLOUD_NUMBER_FIELDS)[number];
export type FieldErrors = Partial<Record<CloudNumberField, string>>;

/** What the form shows again after a refusal: never the two secrets. */
export interface CloudNumberFormValues {
  phoneNumberId: string;
  workspaceId: string;
}

export type CloudNumberFormResult =
  | { ok: true; input: CloudNumberRegistration }
  | { ok: false; errors: FieldErrors; values: CloudNumberFormValues };

/** The dashboard's registration form, checked by the same schema as `POST /api/admin/cloud-numbers`. */
export function parseCloudNumberForm(form: URLSearchParams): CloudNumberFormResult {
  const raw = Object.fromEntries(CLOUD_NUMBER_FIELDS.map((f) => [f, form.get(f) ?? ''])) as Record<
    CloudNumberField,
    string
  >;
  const values = { phoneNumberId: raw.phoneNumberId.trim(), workspaceId: raw.workspaceId.trim() };
  const parsed = cloudNumberRegistration.safeParse(raw);
  if (parsed.success) return { ok: true, input: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as CloudNumberField;
    errors[field] ??= raw[field].trim() === '' ? 'Required.' : describeIssue(issue);
  }
  return { ok: false, errors, values };
}

/** zod's messages, worded for a person filling in a form. */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      return `At least ${String(issue.minimum)} characters.`;
    case 'too_big':
      return `At most ${String(issue.maximum)} characters.`;
    default: {
      const text = issue.message;
      return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
    }
  }
}
