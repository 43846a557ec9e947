/**
 * What naming customers costs the Activity log: a page of 200 events read with `app.events.query`
 * (baseline) and the same page with each event's customer and FAQ looked up (`log.query`'s naming),
 * in a workspace with 100,000 events over 2,000 customers (a tenth known by a LID only); and a search
 * by a customer's name (their ids join the LIKE) against a search for a plain word. Medians of 40 runs.
 *
 *   npx tsx bench/log-names.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSwitchboard } from '../src/core/app';
import { createLogNames } from '../src/core/handlers/log-names';
import type { NewEvent } from '../src/core/store/repositories/event-log';
import { createLogPeople } from '../src/core/store/repositories/log-people';

const EVENTS = 100_000;
const CUSTOMERS = 2_000;
const RUNS = 40;

const root = mkdtempSync(join(tmpdir(), 'switchboard-bench-log-names-'));
const app = await createSwitchboard({ dataDir: join(root, 'data'), durability: 'normal' });
try {
  const workspace = await app.workspaces.create({ name: 'Mama Nkechi Pharmacy' });
  const workspaceId = workspace.id;
  const now = Date.now();
  const chatOf = (i: number) =>
    i % 10 === 0 ? `${9_000_000_000_000 + i}@lid` : `23480${String(i).padStart(8, '0')}@s.whatsapp.net`;
  await app.store.db
    .insertInto('contacts')
    .values(
      Array.from({ length: CUSTOMERS }, (_, i) => ({
        id: `c${i}`,
        workspace_id: workspaceId,
        phone_e164: i % 10 === 0 ? null : `+23480${String(i).padStart(8, '0')}`,
        wa_id: i % 10 === 0 ? String(9_000_000_000_000 + i) : null,
        name: `Customer ${i} ${i === 7 ? 'Tunde' : 'Ade'}`,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  // A LID customer is named through the chat's latest message: one each.
  for (let i = 0; i < CUSTOMERS; i += 10) {
    await app.store.db
      .insertInto('messages')
      .values({
        id: `m${i}`,
        workspace_id: workspaceId,
        business_number: '+2348031234567',
        provider_message_id: `p${i}`,
        chat_id: chatOf(i),
        contact_id: `c${i}`,
        direction: 'in',
        author: 'contact',
        text: 'hello',
        status: 'received',
        provider_ts: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  for (let start = 0; start < EVENTS; start += 5_000) {
    const rows: NewEvent[] = Array.from({ length: 5_000 }, (_, k) => {
      const i = start + k;
      const chatId = chatOf(i % CUSTOMERS);
      return {
        ts: now - (EVENTS - i) * 1000,
        level: 'info',
        type: i % 2 === 0 ? 'message.received' : 'message.sent',
        workspaceId,
        contactId: null,
        message: `event ${i} for ${chatId}`,
        meta: JSON.stringify({ chatId, kind: 'faq' }),
      };
    });
    await app.events.appendBatch(rows);
  }
  const names = createLogNames(createLogPeople(app.store));
  const median = async (fn: () => Promise<unknown>): Promise<number> => {
    await fn();
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const start = performance.now();
      await fn();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)]!;
  };
  const print = (name: string, value: number, baseline: number) =>
    console.log(
      JSON.stringify({
        name,
        value: Number(value.toFixed(2)),
        unit: 'ms',
        baseline: Number(baseline.toFixed(2)),
        ratio: Number((value / baseline).toFixed(2)),
      }),
    );

  const page = () => app.events.query({ workspaceId, limit: 200 });
  const raw = await median(page);
  const named = await median(async () => names.name(workspaceId, (await page()).events));
  print('log.query.named_page_ms', named, raw);

  const word = await median(() => app.events.query({ workspaceId, search: 'event 4242', limit: 200 }));
  const byName = await median(async () =>
    app.events.query({
      workspaceId,
      search: 'tunde',
      alsoMatching: await names.alsoMatching(workspaceId, 'tunde'),
      limit: 200,
    }),
  );
  print('log.query.search_by_name_ms', byName, word);
} finally {
  await app.close();
  rmSync(root, { recursive: true, force: true });
}
