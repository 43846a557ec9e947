import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandInput, LogEvent, LogExportPage, LogPage } from '../../shared/contract';
import { logSentence } from '../../shared/log-sentence';
import type { WorkspaceId } from '../../shared/types';
import type { Switchboard } from '../app';
import type { NewEvent } from '../store/repositories/event-log';
import { startCoreHarness, type CoreHarness } from '../testing/core-harness';
import type { Dispatch } from '../handlers/dispatch';
import { parseCsv } from '../bot/faq/faq-csv';
import { logEventsToCsv, logEventsToJsonLines, logExportFilename } from './log-export';

const event = (overrides: Partial<LogEvent> = {}): LogEvent => ({
  seq: 7,
  ts: Date.UTC(2026, 4, 20, 23, 30, 5, 250),
  level: 'info',
  type: 'message.received',
  workspaceId: 'w1',
  contactId: 'c1',
  message: 'Message from 2348031110001@s.whatsapp.net stored',
  meta: { chatId: '2348031110001@s.whatsapp.net', text: 'Una dey open, "today"?' },
  ...overrides,
});

describe('log export formats', () => {
  it('writes CSV with a header, UTC and local times, the sentence, quoted fields and the details as JSON', () => {
    const csv = logEventsToCsv([event({ person: { name: 'Tunde Bakare', phone: '+2348031110001' } })], {
      timeZone: 'Africa/Lagos',
      header: true,
    });
    const { rows, errors } = parseCsv(csv);
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.fields)).toEqual([
      [
        'seq',
        'time_utc',
        'time_local (Africa/Lagos)',
        'what_happened',
        'level',
        'type',
        'message',
        'contact_id',
        'details',
      ],
      [
        '7',
        '2026-05-20T23:30:05.250Z',
        '2026-05-21 00:30:05',
        'Tunde Bakare wrote',
        'info',
        'message.received',
        'Message from 2348031110001@s.whatsapp.net stored',
        'c1',
        '{"chatId":"2348031110001@s.whatsapp.net","text":"Una dey open, \\"today\\"?"}',
      ],
    ]);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(logEventsToCsv([event()], { timeZone: 'UTC', header: false }).startsWith('7,')).toBe(true);
  });

  it('keeps text a spreadsheet would run as a formula as text, and line breaks inside their cell', () => {
    const csv = logEventsToCsv(
      [
        event({ message: '=HYPERLINK("http://evil.example","click")', meta: null, contactId: null }),
        event({ message: '+2348031234567: logged out', meta: null, type: 'number.logout' }),
        event({ message: 'two\nlines', meta: null }),
      ],
      { timeZone: 'UTC', header: false },
    );
    const cells = parseCsv(csv).rows.map((r) => r.fields[6]);
    expect(cells).toEqual([
      `'=HYPERLINK("http://evil.example","click")`,
      "'+2348031234567: logged out",
      'two\nlines',
    ]);
    expect(parseCsv(csv).rows[0]!.fields[8]).toBe('');
    // The sentence of an event type without one is its message: kept as text too.
    expect(parseCsv(csv).rows[1]!.fields[3]).toBe("'+234 803 123 4567: logged out");
  });

  it('writes JSON lines that read back as the events, with the local time and the sentence', () => {
    const lines = logEventsToJsonLines([event(), event({ seq: 6, meta: null })], 'Africa/Lagos')
      .trimEnd()
      .split('\n');
    const added = {
      time: '2026-05-20T23:30:05.250Z',
      timeLocal: '2026-05-21 00:30:05',
      timeZone: 'Africa/Lagos',
    };
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { ...event(), ...added, whatHappened: '+234 803 111 0001 wrote' },
      { ...event({ seq: 6, meta: null }), ...added, whatHappened: 'A customer wrote' },
    ]);
  });

  it('names the file after the business and the local date', () => {
    const at = Date.UTC(2026, 4, 20, 23, 30);
    expect(logExportFilename('Mama Nkechi Pharmacy', at, 'Africa/Lagos', 'csv')).toBe(
      'switchboard-log-mama-nkechi-pharmacy-2026-05-21.csv',
    );
    expect(logExportFilename(null, at, 'UTC', 'jsonl')).toBe('switchboard-log-system-2026-05-20.jsonl');
    expect(logExportFilename('Café Ọ̀la', at, 'UTC', 'csv')).toBe('switchboard-log-cafe-o-la-2026-05-20.csv');
  });
});

describe('log.export', () => {
  let core: CoreHarness;
  let app: Switchboard;
  let dispatch: Dispatch;

  beforeEach(async () => {
    // The events here are dated May 2026: the retention pass at start must not delete them as old.
    core = await startCoreHarness({
      tempPrefix: 'switchboard-log-export-',
      switchboard: { retention: { maxAgeDays: 3_650 } },
    });
    ({ app, dispatch } = core);
  });
  afterEach(() => core.close());

  const call = <T>(name: string, input: unknown) => core.call<T>(name, input);

  const T = Date.UTC(2026, 4, 20, 8);
  const rows = (workspaceId: string, count: number, type: (i: number) => string): NewEvent[] =>
    Array.from({ length: count }, (_, i) => ({
      // Several events share a millisecond, as in a burst: pages must neither split nor repeat them.
      ts: T + Math.floor(i / 3),
      level: i % 10 === 0 ? 'warn' : 'info',
      type: type(i),
      workspaceId,
      contactId: null,
      message: `event ${i} of ${workspaceId}`,
      meta: JSON.stringify({ i }),
    }));

  /** Runs the export as the screen does: page after page until the cursor runs out. */
  async function exportAll(input: CommandInput<'log.export'>, during?: () => Promise<void>) {
    const pages: LogExportPage[] = [];
    let cursor: string | undefined;
    do {
      const page: LogExportPage = await call('log.export', {
        ...input,
        ...(cursor !== undefined && { cursor }),
      });
      pages.push(page);
      cursor = page.cursor ?? undefined;
      if (pages.length === 1) await during?.();
    } while (cursor !== undefined);
    return pages;
  }

  it('pages the filtered log of one business into one CSV, newest first, each event once', async () => {
    const { workspace } = await call<{ workspace: { id: WorkspaceId } }>('workspace.create', {
      name: 'Mama Nkechi Pharmacy',
    });
    const other = await call<{ workspace: { id: WorkspaceId } }>('workspace.create', {
      name: 'Ada Boutique',
    });
    await app.logger.flush();
    await app.events.appendBatch(
      rows(workspace.id, 2_500, (i) => (i % 5 === 0 ? 'connection.changed' : 'message.received')),
    );
    await app.events.appendBatch(rows(other.workspace.id, 300, () => 'message.received'));
    const expected = await app.events.countMatching({ workspaceId: workspace.id, typePrefix: 'message.' });
    expect(expected).toBe(2_000);

    const pages = await exportAll(
      { workspaceId: workspace.id, typePrefix: 'message.', format: 'csv', pageSize: 700 },
      // Written while the export runs: after its end, so not in it (and the count stays true).
      () => app.events.appendBatch(rows(workspace.id, 10, () => 'message.received')),
    );
    expect(pages.map((p) => [p.count, p.total])).toEqual([
      [700, 2_000],
      [700, null],
      [600, null],
    ]);
    expect(pages[0]!.filename).toMatch(/^switchboard-log-mama-nkechi-pharmacy-\d{4}-\d{2}-\d{2}\.csv$/);
    const { rows: parsed, errors } = parseCsv(pages.map((p) => p.text).join(''));
    expect(errors).toEqual([]);
    const [header, ...data] = parsed.map((r) => r.fields);
    expect(header![2]).toBe('time_local (Africa/Lagos)');
    expect(data).toHaveLength(2_000);
    const seqs = data.map((f) => Number(f[0]));
    expect(new Set(seqs).size).toBe(2_000);
    expect(seqs).toEqual([...seqs].sort((x, y) => y - x));
    expect(data.every((f) => f[5] === 'message.received' && f[6]!.endsWith(`of ${workspace.id}`))).toBe(true);
    expect(data.at(-1)![4]).toBe('info');
    expect(data.at(-1)![8]).toBe('{"i":1}');
  });

  it('exports the machine log as JSON lines, with the level filter, and an empty log as nothing', async () => {
    await app.events.appendBatch(rows(null as unknown as string, 50, () => 'store.opened'));
    const pages = await exportAll({ workspaceId: null, minLevel: 'warn', format: 'jsonl', pageSize: 1000 });
    const lines = pages
      .map((p) => p.text)
      .join('')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: string; workspaceId: string | null });
    expect(lines.length).toBe(pages[0]!.total);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.every((l) => l.level === 'warn' || l.level === 'error')).toBe(true);
    expect(lines.every((l) => l.workspaceId === null)).toBe(true);
    expect(pages[0]!.filename).toMatch(/^switchboard-log-system-.*\.jsonl$/);

    const { workspace } = await call<{ workspace: { id: WorkspaceId } }>('workspace.create', {
      name: 'Quiet',
    });
    const empty = await exportAll({ workspaceId: workspace.id, search: 'no such words', format: 'csv' });
    expect(empty).toHaveLength(1);
    expect(empty[0]).toMatchObject({ count: 0, total: 0, cursor: null });
    expect(parseCsv(empty[0]!.text).rows).toHaveLength(1); // the header alone
  });

  it('refuses an unknown workspace and a bad page size', async () => {
    expect(await dispatch('log.export', { workspaceId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await dispatch('log.export', { workspaceId: null, pageSize: 5000 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
  });

  it('log.query names each event’s customer and FAQ, and finds a customer’s events by name or number', async () => {
    const { workspace } = await call<{ workspace: { id: WorkspaceId } }>('workspace.create', {
      name: 'Mama Nkechi Pharmacy',
    });
    const faq = await call<{ id: string }>('faq.create', {
      workspaceId: workspace.id,
      question: 'Do you deliver?',
      answer: 'Yes.',
    });
    const contact = (id: string, name: string, phone: string | null, waId: string | null) => ({
      id,
      workspace_id: workspace.id,
      phone_e164: phone,
      wa_id: waId,
      name,
      created_at: T,
      updated_at: T,
    });
    await app.store.db
      .insertInto('contacts')
      .values([
        contact('c1', 'Tunde Bakare', '+2348077776666', null),
        // A customer known by a LID only: found through the chat's messages.
        contact('c2', 'Ada Obi', null, '99887766554433'),
      ])
      .execute();
    const event = (i: number, type: string, meta: Record<string, unknown>): NewEvent => ({
      ts: T + i,
      level: 'info',
      type,
      workspaceId: workspace.id,
      contactId: null,
      message: `${type} ${i}`,
      meta: JSON.stringify(meta),
    });
    await app.events.appendBatch([
      event(1, 'message.decided', {
        chatId: '2348077776666@s.whatsapp.net',
        reason: 'faq-answer',
        faqId: faq.id,
      }),
      event(2, 'message.received', { chatId: '99887766554433@lid', kind: 'text' }),
      event(3, 'message.received', { chatId: '2348011112222@s.whatsapp.net', kind: 'text' }),
    ]);
    await app.store.db
      .insertInto('messages')
      .values({
        id: 'm1',
        workspace_id: workspace.id,
        business_number: '+2348031234567',
        chat_id: '99887766554433@lid',
        contact_id: 'c2',
        direction: 'in',
        author: 'contact',
        provider_message_id: 'p1',
        text: 'hello',
        status: 'received',
        provider_ts: null,
        created_at: T,
        updated_at: T,
      })
      .execute();
    const query = (search?: string) =>
      call<LogPage>('log.query', {
        workspaceId: workspace.id,
        typePrefix: 'message.',
        ...(search && { search }),
      });

    const all = await query();
    expect(all.events.map((e) => logSentence(e))).toEqual([
      '+234 801 111 2222 wrote',
      'Ada Obi wrote',
      'Answered Tunde Bakare’s question with the FAQ “Do you deliver?”',
    ]);
    expect(all.events[2]).toMatchObject({ person: { name: 'Tunde Bakare', phone: '+2348077776666' } });
    // By name (any case), by the number as people type it, and not by someone else's name.
    expect((await query('tunde')).events.map((e) => e.seq)).toEqual([all.events[2]!.seq]);
    expect((await query('ada obi')).events.map((e) => e.seq)).toEqual([all.events[1]!.seq]);
    expect((await query('0801 111 2222')).events.map((e) => e.seq)).toEqual([all.events[0]!.seq]);
    expect((await query('Chidi')).events).toEqual([]);
    // The export names them too.
    const csv = await call<LogExportPage>('log.export', {
      workspaceId: workspace.id,
      typePrefix: 'message.',
      search: 'Tunde',
    });
    expect(csv.total).toBe(1);
    expect(csv.text).toContain('Answered Tunde Bakare’s question with the FAQ “Do you deliver?”');
  });
});
