import type { LogEvent } from '../../shared/contract';
import { logSentence } from '../../shared/log-sentence';
import { localDateTime } from '../stats/local-days';
import { csvField } from '../bot/faq/faq-csv';

/**
 * The Logs screen's export: events as CSV (for a spreadsheet) or JSON lines (for tools), a page at a
 * time so 100k events never sit in one string on either side of the binding.
 */

export type LogExportFormat = 'csv' | 'jsonl';

export const logCsvHeader = (timeZone: string): string[] => [
  'seq',
  'time_utc',
  `time_local (${timeZone})`,
  'what_happened',
  'level',
  'type',
  'message',
  'contact_id',
  'details',
];

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, or a tab or CR first) gets a leading
 * apostrophe: customers' words end up in the log, and "=HYPERLINK(...)" must stay text when the owner
 * opens the file in Excel. The apostrophe also keeps "+234..." a phone number, not a number in E notation.
 */
function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function row(cells: readonly string[]): string {
  return cells.map((c) => csvField(safeCell(c))).join(',') + '\r\n';
}

export function logEventsToCsv(
  events: readonly LogEvent[],
  options: { timeZone: string; header: boolean },
): string {
  let text = options.header ? row(logCsvHeader(options.timeZone)) : '';
  for (const e of events) {
    text += row([
      String(e.seq),
      new Date(e.ts).toISOString(),
      localDateTime(e.ts, options.timeZone),
      logSentence(e),
      e.level,
      e.type,
      e.message,
      e.contactId ?? '',
      e.meta === null ? '' : JSON.stringify(e.meta),
    ]);
  }
  return text;
}

/**
 * One JSON object per line: the stored event as it is (time as ISO, as ms and in the workspace's
 * zone), with its sentence and the customer it names.
 */
export function logEventsToJsonLines(events: readonly LogEvent[], timeZone: string): string {
  let text = '';
  for (const e of events) {
    text += `${JSON.stringify({
      seq: e.seq,
      time: new Date(e.ts).toISOString(),
      timeLocal: localDateTime(e.ts, timeZone),
      timeZone,
      ts: e.ts,
      whatHappened: logSentence(e),
      ...(e.person !== undefined && { person: e.person }),
      level: e.level,
      type: e.type,
      workspaceId: e.workspaceId,
      contactId: e.contactId,
      message: e.message,
      meta: e.meta,
    })}\n`;
  }
  return text;
}

/** switchboard-log-mama-nkechi-pharmacy-2026-05-20.csv */
export function logExportFilename(
  scope: string | null,
  now: number,
  timeZone: string,
  format: LogExportFormat,
): string {
  const slug = (scope ?? 'system')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  const date = localDateTime(now, timeZone).slice(0, 10);
  return `switchboard-log-${slug === '' ? 'business' : slug}-${date}.${format === 'csv' ? 'csv' : 'jsonl'}`;
}
