// `type: "interactive"` with `interactive.type: "list"`: checked against Meta's published limits
// (cloud-api-notes.md), refused with the error Meta gives for a value it will not take.
import { graphError, type GraphErrorAnswer } from './graph-errors';

export interface SimListRow {
  id: string;
  title: string;
  description: string | null;
}

export interface SimList {
  body: string;
  button: string;
  rows: SimListRow[];
}

const LIMITS = { rows: 10, title: 24, description: 72, id: 200, button: 20, body: 1024, sections: 10 };

const invalid = (details: string) => graphError(131009, { details });
const length = (text: string) => [...text].length;

export function listOf(raw: unknown): SimList | GraphErrorAnswer {
  const interactive = raw as
    | { type?: unknown; body?: { text?: unknown }; action?: { button?: unknown; sections?: unknown } }
    | undefined;
  if (interactive?.type !== 'list') {
    return graphError(131051, { details: `interactive type ${String(interactive?.type)} is not simulated` });
  }
  const body = interactive.body?.text;
  if (typeof body !== 'string' || body === '')
    return graphError(131008, { details: 'body.text is required' });
  if (length(body) > LIMITS.body) return invalid(`body.text must be at most ${LIMITS.body} characters`);
  const button = interactive.action?.button;
  if (typeof button !== 'string' || button === '') {
    return graphError(131008, { details: 'action.button is required' });
  }
  if (length(button) > LIMITS.button)
    return invalid(`action.button must be at most ${LIMITS.button} characters`);
  const sections = interactive.action?.sections;
  if (!Array.isArray(sections) || sections.length === 0) {
    return graphError(131008, { details: 'action.sections is required' });
  }
  if (sections.length > LIMITS.sections) return invalid(`at most ${LIMITS.sections} sections`);
  const rows: SimListRow[] = [];
  for (const section of sections as { rows?: unknown }[]) {
    if (!Array.isArray(section?.rows) || section.rows.length === 0) {
      return graphError(131008, { details: 'every section needs rows' });
    }
    for (const r of section.rows as { id?: unknown; title?: unknown; description?: unknown }[]) {
      if (typeof r?.id !== 'string' || r.id === '' || typeof r.title !== 'string' || r.title === '') {
        return graphError(131008, { details: 'every row needs an id and a title' });
      }
      if (length(r.id) > LIMITS.id) return invalid(`row id must be at most ${LIMITS.id} characters`);
      if (length(r.title) > LIMITS.title) {
        return invalid(`row title must be at most ${LIMITS.title} characters: "${r.title}"`);
      }
      if (
        r.description !== undefined &&
        (typeof r.description !== 'string' || length(r.description) > LIMITS.description)
      ) {
        return invalid(`row description must be text of at most ${LIMITS.description} characters`);
      }
      if (rows.some((seen) => seen.id === r.id)) return invalid(`row ids must be unique: "${r.id}" repeats`);
      rows.push({
        id: r.id,
        title: r.title,
        description: typeof r.description === 'string' ? r.description : null,
      });
    }
  }
  if (rows.length > LIMITS.rows)
    return invalid(`a list has at most ${LIMITS.rows} rows; this one has ${rows.length}`);
  return { body, button, rows };
}
