import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandInput, Handlers, LogEvent, LogExportPage } from '../../shared/contract';
import type { WorkspaceId } from '../../shared/types';
import { createSwitchboard, type Switchboard } from '../app';
import { SwitchboardError } from '../errors';
import type { NewEvent } from '../store/repositories/event-log';
import { makeTempDir } from '../testing/temp-files';
import { createDispatcher, type Dispatch } from './dispatch';
import { parseCsv } from './faq-csv';
import { logEventsToCsv, logEventsToJsonLines, logExportFilename } from './log-export';
import { createCoreRuntime, type CoreRuntime } from './runtime';

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
  it('writes CSV with a header, UTC and local times, quoted fields and the details as JSON', () => {
    const csv = logEventsToCsv([event()], { timeZone: 'Africa/Lagos', header: true });
    const { rows, errors } = parseCsv(csv);
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.fields)).toEqual([
      ['seq', 'time_utc', 'time_local (Africa/Lagos)', 'level', 'type', 'message', 'contact_id', 'details'],
      [
        '7',
        '2026-05-20T23:30:05.250Z',
        '2026-05-21 00:30:05',
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
        event({ message: '+2348031234567: logged out', meta: null }),
        event({ message: 'two\nlines', meta: null }),
      ],
      { timeZone: 'UTC', header: false },
    );
    const cells = parseCsv(csv).rows.map((r) => r.fields[5]);
    expect(cells).toEqual([
      `'=HYPERLINK("http://evil.example","click")`,
      "'+2348031234567: logged out",
      'two\nlines',
    ]);
    expect(parseCsv(csv).rows[0]!.fields[7]).toBe('');
  });

  it('writes JSON lines that read back as the events', () => {
    const lines = logEventsToJsonLines([event(), event({ seq: 6, meta: null })])
      .trimEnd()
      .split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { ...event(), time: '2026-05-20T23:30:05.250Z' },
      { ...event({ seq: 6, meta: null }), time: '2026-05-20T23:30:05.250Z' },
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
  let app: Switchboard;
  let runtime: CoreRuntime;
  let dispatch: Dispatch;
  let cleanup: () => void;
  const shell: Pick<Handlers, 'app.info' | 'app.setStartAtLogin' | 'demo.scanQr' | 'demo.enterPairingCode'> =
    {
      'app.info': () =>
        Promise.resolve({ shell: 'browser', version: '0.0.0', demo: false, startAtLogin: null }),
      'app.setStartAtLogin': () => Promise.reject(new SwitchboardError('UNAVAILABLE', 'not here')),
      'demo.scanQr': () => Promise.resolve(null),
      'demo.enterPairingCode': () => Promise.resolve(null),
    };

  beforeEach(async () => {
    const temp = makeTempDir('switchboard-log-export-');
    cleanup = temp.cleanup;
    app = await createSwitchboard({ dataDir: join(temp.dir, 'data'), durability: 'normal' });
    runtime = createCoreRuntime(app);
    dispatch = createDispatcher({ ...runtime.handlers, ...shell }, app.logger);
  });
  afterEach(async () => {
    runtime.close();
    await app.close();
    cleanup();
  });

  async function call<T>(name: string, input: unknown): Promise<T> {
    const result = await dispatch(name, input);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as T;
  }

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
    expect(data.every((f) => f[4] === 'message.received' && f[5]!.endsWith(`of ${workspace.id}`))).toBe(true);
    expect(data.at(-1)![3]).toBe('info');
    expect(data.at(-1)![7]).toBe('{"i":1}');
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
});
