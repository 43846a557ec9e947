import type { Faq } from '../../../shared/dto';

/**
 * The FAQ list as a CSV file the owner can edit in a spreadsheet: RFC 4180 (quoted fields, "" for a
 * quote inside one, line breaks inside quotes), CRLF or LF, an optional UTF-8 BOM. Columns: question,
 * answer, phrasings (separated by `|`), enabled.
 */

export const CSV_COLUMNS = ['question', 'answer', 'phrasings', 'enabled'] as const;
/** A field longer than this is refused: nothing an FAQ holds comes near it. */
export const MAX_CSV_FIELD = 10_000;

export interface CsvRow {
  /** The line (1-based) the row starts on. */
  line: number;
  fields: string[];
}

export interface CsvError {
  line: number;
  message: string;
}

export interface ParsedCsv {
  rows: CsvRow[];
  /** Rows that could not be read; they are left out of `rows`. */
  errors: CsvError[];
}

/**
 * Splits CSV text into rows. A broken row (a quote in the middle of an unquoted field, text after a
 * closing quote, an oversized field) is reported with its line and skipped; an unclosed quote ends
 * the file there. Empty lines are skipped.
 */
export function parseCsv(input: string, options: { maxField?: number } = {}): ParsedCsv {
  const maxField = options.maxField ?? MAX_CSV_FIELD;
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const rows: CsvRow[] = [];
  const errors: CsvError[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;

  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let problem: string | null = null;
    let field = '';
    let endOfRow = false;
    while (!endOfRow) {
      field = '';
      if (text[i] === '"') {
        // Quoted field: runs to the next lone quote; "" is one quote.
        i++;
        let closed = false;
        while (i < n) {
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
          field += c;
          i++;
        }
        if (!closed) {
          errors.push({
            line: startLine,
            message: `a quoted field is never closed (a " is missing); the rest of the file was not read`,
          });
          return { rows, errors };
        }
        // After the closing quote: a comma, the end of the line, or the end of the file.
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          problem ??= `text after a closing quote in column ${fields.length + 1} (write "" for a quote inside quotes)`;
          while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') i++;
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          if (text[i] === '"') {
            problem ??= `a quote inside an unquoted field in column ${fields.length + 1} (put the whole field in quotes and write "" for the quote)`;
          }
          field += text[i];
          i++;
        }
      }
      if (field.length > maxField) {
        problem ??= `column ${fields.length + 1} is too long (${field.length} characters, at most ${maxField})`;
      }
      fields.push(field);
      if (i >= n) {
        endOfRow = true;
      } else if (text[i] === ',') {
        i++;
      } else {
        // A line break: CRLF, LF or a lone CR.
        i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        endOfRow = true;
      }
    }
    const blank = fields.length === 1 && fields[0] === '';
    if (blank) continue;
    if (problem !== null) errors.push({ line: startLine, message: problem });
    else rows.push({ line: startLine, fields });
  }
  return { rows, errors };
}

/** One field as CSV: quoted when it holds a comma, a quote, a line break or edge spaces. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function faqsToCsv(
  faqs: readonly Pick<Faq, 'question' | 'answer' | 'phrasings' | 'enabled'>[],
): string {
  return toCsv([
    [...CSV_COLUMNS],
    ...faqs.map((f) => [f.question, f.answer, f.phrasings.join(' | '), f.enabled ? 'yes' : 'no']),
  ]);
}

export interface CsvFaq {
  line: number;
  question: string;
  answer: string;
  phrasings: string[];
  enabled: boolean;
}

const YES = new Set(['', 'yes', 'y', 'true', '1', 'on']);
const NO = new Set(['no', 'n', 'false', '0', 'off']);

/**
 * CSV rows as FAQs. The first non-empty row must be the header (any order of the four columns;
 * phrasings and enabled may be left out). Rows with the wrong number of columns are reported.
 * Field values are checked later, with the contract's rules.
 */
export function readFaqCsv(csv: string): { faqs: CsvFaq[]; errors: CsvError[] } {
  const parsed = parseCsv(csv);
  const errors = [...parsed.errors];
  const [header, ...rows] = parsed.rows;
  if (header === undefined) {
    if (errors.length === 0) errors.push({ line: 1, message: 'the file is empty' });
    return { faqs: [], errors };
  }
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const at = (name: (typeof CSV_COLUMNS)[number]) => names.indexOf(name);
  const unknown = names.filter((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
  if (at('question') < 0 || at('answer') < 0 || unknown.length > 0) {
    errors.push({
      line: header.line,
      message: `the first row must name the columns: ${CSV_COLUMNS.join(', ')} (phrasings and enabled are optional)${
        unknown.length > 0 ? `; unknown column "${unknown[0]}"` : ''
      }`,
    });
    return { faqs: [], errors };
  }
  const faqs: CsvFaq[] = [];
  for (const row of rows) {
    if (row.fields.length !== names.length) {
      errors.push({
        line: row.line,
        message: `${row.fields.length > names.length ? 'too many' : 'too few'} columns: ${row.fields.length} instead of ${names.length} (a comma inside a field needs quotes)`,
      });
      continue;
    }
    const get = (name: (typeof CSV_COLUMNS)[number]) => {
      const index = at(name);
      return index < 0 ? '' : row.fields[index]!;
    };
    const flag = get('enabled').trim().toLowerCase();
    if (!YES.has(flag) && !NO.has(flag)) {
      errors.push({ line: row.line, message: `enabled must be yes or no, not "${get('enabled')}"` });
      continue;
    }
    faqs.push({
      line: row.line,
      question: get('question'),
      answer: get('answer'),
      phrasings: get('phrasings')
        .split('|')
        .map((p) => p.trim())
        .filter((p) => p !== ''),
      enabled: YES.has(flag),
    });
  }
  errors.sort((a, b) => a.line - b.line);
  return { faqs, errors };
}
