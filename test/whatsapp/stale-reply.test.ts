// Issue 13 #11: a reply still queued when the PC went off must not go out 13 hours late. The real core
// (real SQLite file, unmodified Baileys client, local WhatsApp server) decides a customer's question and
// queues the answer; the PC goes off before it is sent (a long typing time holds it in the outbox); it
// comes back 13 hours later (the restarted core's clock is 13 hours ahead). The queued answer is
// cancelled, the chat goes to a person, and the owner is told.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreRuntime, type CoreRuntime } from '../../src/core/handlers/index';
import { checkOutcomes } from '../../src/core/pipeline/outcome-check';
import { realTimers, type Timers } from '../../src/core/timers';
import type { EventPayload } from '../../src/shared/contract';
import type { WorkspaceId } from '../../src/shared/types';
import { commandCaller, createHarness, linkNumber, waitUntil, type Core, type Harness } from './harness';

const SHOP = '+2348090000001';
const HOURS_13 = 13 * 3_600_000;

/** Real timers on a clock 13 hours ahead: the PC was off overnight. */
const overnight: Timers = { ...realTimers, now: () => Date.now() + HOURS_13 };

let harness: Harness;
let runtime: CoreRuntime | undefined;
const call = commandCaller(() => runtime!);

beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  runtime?.close();
  await harness?.cleanup();
});

describe('a reply still queued past the stale limit (issue 13 #11)', () => {
  it('is cancelled when the PC comes back 13 hours later, and the chat goes to a person', async () => {
    let core: Core = await harness.startCore();
    runtime = createCoreRuntime(core.app);
    await core.app.start();
    const workspaceId: WorkspaceId = (
      await call('workspace.create', { name: 'Chidi Pharmacy', botMode: 'faq' })
    ).workspace.id;
    // Typing takes a minute: the answer waits in the outbox while the PC goes off.
    await call('workspace.updateSettings', {
      workspaceId,
      settings: {
        greeting: { enabled: false },
        pacing: { enabled: true, minTypingMs: 60_000, maxTypingMs: 60_000 },
      },
    });
    await call('faq.create', { workspaceId, question: 'What time do you open?', answer: 'We open at 8am.' });
    await linkNumber(harness, core, SHOP, { id: workspaceId });
    const ada = harness.server.contact('+2348031234567');
    await ada.send(SHOP, 'What time do you open?');
    await waitUntil(async () => {
      const rows = await core.app.store.db.selectFrom('outbox').select('status').execute();
      return rows.length === 1 && rows[0]!.status === 'queued';
    }, 'the answer to be queued');
    runtime.close();
    await core.close(); // the PC goes off

    // The PC comes back 13 hours later: the restarted core's pipeline runs on that clock.
    core = await harness.startCore({}, { pipeline: { timers: overnight } });
    runtime = createCoreRuntime(core.app);
    const escalated: EventPayload<'conversation.escalated'>[] = [];
    runtime.events.on('conversation.escalated', (e) => escalated.push(e));
    await core.app.start();
    await waitUntil(async () => {
      const rows = await core.app.store.db.selectFrom('outbox').select('status').execute();
      return rows.every((r) => r.status === 'cancelled');
    }, 'the stale answer to be cancelled');
    await waitUntil(() => escalated.length > 0, 'the owner to be told');

    expect(escalated[0]).toMatchObject({ workspaceId, reason: 'reply-stale', contactPhone: ada.phone });
    const chat = (await call('conversation.list', { workspaceId }))[0];
    expect(chat?.waitingReason).toBe('reply-stale');
    expect(chat?.handedOff).toBe(true);
    // Nothing reached the customer (the only reply is cancelled: final), and the question has its
    // outcome: with a person.
    expect(ada.replies).toEqual([]);
    expect((await checkOutcomes(core.app.store.db, workspaceId, Date.now() + HOURS_13)).missing).toEqual([]);
  }, 60_000);
});
