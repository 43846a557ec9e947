/**
 * Banking77 for the FAQ matcher's benchmark (see ../shared/data/banking77/README.md): each intent is an
 * FAQ, its first K training queries (file order) are the phrasings, every test query is a message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Example {
  text: string;
  intent: string;
}

export interface Banking77 {
  train: Example[];
  test: Example[];
  intents: string[];
}

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The shared data beside the repository, or beside the folder of worktrees a worktree sits in. */
export const DATA_DIR =
  ['../shared/data/banking77', '../../shared/data/banking77']
    .map((p) => resolve(REPO_ROOT, p))
    .find((dir) => existsSync(join(dir, 'train.csv'))) ?? resolve(REPO_ROOT, '../shared/data/banking77');

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function readExamples(file: string): Example[] {
  const [header, ...rows] = parseCsv(readFileSync(join(DATA_DIR, file), 'utf8'));
  if (header?.[0] !== 'text' || header[1] !== 'category') throw new Error(`unexpected header in ${file}`);
  return rows.map(([text, intent]) => ({ text: text ?? '', intent: intent ?? '' }));
}

/** Undefined when the shared data is not beside the repository. */
export function loadBanking77(): Banking77 | undefined {
  if (!existsSync(join(DATA_DIR, 'train.csv')) || !existsSync(join(DATA_DIR, 'test.csv'))) return undefined;
  const train = readExamples('train.csv');
  const test = readExamples('test.csv');
  const intents = [...new Set(train.map((e) => e.intent))].sort();
  return { train, test, intents };
}

/** Each intent's first `k` training queries (all of them when k is undefined). */
export function phrasingsByIntent(data: Banking77, k?: number): Map<string, string[]> {
  const byIntent = new Map<string, string[]>(data.intents.map((i) => [i, []]));
  for (const example of data.train) {
    const list = byIntent.get(example.intent)!;
    if (k === undefined || list.length < k) list.push(example.text);
  }
  return byIntent;
}
