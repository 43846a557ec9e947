import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, Events, NumberState } from '../../shared/contract';
import type { E164, WorkspaceId } from '../../shared/types';
import type { Switchboard } from '../app';
import { startCoreHarness, type CoreHarness } from '../testing/core-harness';
import type { FakeProvider } from '../testing/fake-provider';
import { createFakeTimers } from '../testing/fake-timers';
import type { Dispatch } from './dispatch';
import { createLiveLogSink } from './live-log-sink';
import { createCoreRuntime } from './runtime';

let core: CoreHarness;
let app: Switchboard;
let dispatch: Dispatch;
let providers: Map<string, FakeProvider>;
let seen: CoreHarness['seen'];

const call = (name: string, input?: unknown) => core.call(name, input);

/** A new workspace named Shop, without a number; its id. */
async function newWorkspace(): Promise<WorkspaceId> {
  const { workspace } = await core.call<{ workspace: { id: WorkspaceId } }>('workspace.create', {
    name: 'Shop',
  });
  return workspace.id;
}

/** How many groups of questions the bot could not answer the workspace has. */
async function unansweredGroups(workspaceId: WorkspaceId): Promise<number> {
  return ((await call('unanswered.list', { workspaceId })) as unknown[]).length;
}

function eventsOf<E extends EventName>(event: E): Events[E][] {
  return seen.filter((e) => e.event === event).map((e) => e.payload as Events[E]);
}

beforeEach(async () => {
  const liveLog = createLiveLogSink({ intervalMs: 10 });
  core = await startCoreHarness({
    tempPrefix: 'switchboard-handlers-',
    switchboard: { sinks: [liveLog] },
    runtime: { liveLog },
    shell: { 'demo.scanQr': () => Promise.reject(new Error('boom: secret internals')) },
  });
  ({ app, dispatch, providers, seen } = core);
});

afterEach(() => core.close());

describe('dispatch', () => {
  it('refuses an unknown command with a clear error', async () => {
    const result = await dispatch('faq.explode', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    expect(!result.ok && result.error.message).toMatch(
      /Unknown command "faq.explode". Known commands: .*faq.list/,
    );
    expect(await dispatch('toString', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
  });

  it("refuses invalid input with zod's messages, before any handler runs", async () => {
    const result = await dispatch('workspace.create', { name: '   ', botMode: 'robot' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.message).toContain('Invalid input for workspace.create');
    expect(result.error.message).toContain('name: Business name cannot be empty');
    expect(result.error.message).toContain('botMode');
    expect(await app.workspaces.list()).toEqual([]);
  });

  it('passes the code of a SwitchboardError and hides the details of anything else', async () => {
    expect(await dispatch('app.setStartAtLogin', { enabled: true })).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'not here' },
    });
    const hidden = await dispatch('demo.scanQr', { workspaceId: 'w', phoneNumberId: 'n' });
    expect(hidden).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(hidden)).not.toContain('secret internals');
  });
});

describe('workspace and number handlers', () => {
  it('creates a workspace with its number, normalised, and announces it', async () => {
    const created = await call('workspace.create', {
      name: ' Mama Nkechi Pharmacy ',
      defaultCountry: 'ng',
      botMode: 'hybrid',
      number: '0803 123 4567',
    });
    expect(created).toMatchObject({
      workspace: { name: 'Mama Nkechi Pharmacy', defaultCountry: 'NG', botMode: 'hybrid' },
      number: { e164: '+2348031234567', status: 'unpaired' },
    });
    expect(eventsOf('workspace.changed')).toHaveLength(1);
    expect(await call('workspace.list')).toHaveLength(1);
  });

  it('writes nothing when the number is invalid or already taken', async () => {
    await expect(call('workspace.create', { name: 'A', number: '12' })).rejects.toThrow(
      /INVALID_PHONE_NUMBER/,
    );
    await call('workspace.create', { name: 'B', number: '08031234567' });
    await expect(call('workspace.create', { name: 'C', number: '+234 803 123 4567' })).rejects.toThrow(
      /CONFLICT: \+2348031234567 is already linked/,
    );
    expect(((await call('workspace.list')) as { name: string }[]).map((w) => w.name)).toEqual(['B']);
  });

  it('updates settings through the settings schema', async () => {
    const { workspace } = (await call('workspace.create', { name: 'Shop' })) as { workspace: { id: string } };
    const updated = await call('workspace.updateSettings', {
      workspaceId: workspace.id,
      settings: { faq: { threshold: 0.7 }, handoff: { keywords: ['oga', 'manager'], ownerPauseMinutes: 45 } },
    });
    expect(updated).toMatchObject({
      settings: { faq: { threshold: 0.7 }, handoff: { keywords: ['oga', 'manager'], ownerPauseMinutes: 45 } },
    });
    const bad = await dispatch('workspace.updateSettings', {
      workspaceId: workspace.id,
      settings: { faq: { threshold: 2 } },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(!bad.ok && bad.error.message).toContain('FAQ threshold must be between 0 and 1');
  });

  it('adds and removes numbers, stopping a live connection first', async () => {
    const { workspace } = (await call('workspace.create', { name: 'Shop' })) as { workspace: { id: string } };
    const number = (await call('number.add', { workspaceId: workspace.id, number: '08031234567' })) as {
      id: string;
      e164: E164;
    };
    await call('connection.pair', { workspaceId: workspace.id, phoneNumberId: number.id });
    expect(app.connections.state(number.e164)).toBeDefined();
    await call('number.remove', { workspaceId: workspace.id, phoneNumberId: number.id });
    expect(app.connections.state(number.e164)).toBeUndefined();
    expect(await call('connection.list', { workspaceId: workspace.id })).toEqual([]);
    await expect(
      call('number.remove', { workspaceId: workspace.id, phoneNumberId: number.id }),
    ).rejects.toThrow(/NOT_FOUND/);
  });
});

describe('connection handlers', () => {
  async function setUp() {
    const { workspace, number } = (await call('workspace.create', {
      name: 'Shop',
      number: '08031234567',
    })) as {
      workspace: { id: WorkspaceId };
      number: { id: string; e164: E164 };
    };
    return { ref: { workspaceId: workspace.id, phoneNumberId: number.id }, e164: number.e164 };
  }

  it('merges the stored status with the live state, QR included while pairing', async () => {
    const { ref, e164 } = await setUp();
    expect(await call('connection.list', { workspaceId: ref.workspaceId })).toMatchObject([
      { e164, status: 'unpaired', qr: null },
    ]);
    await call('connection.pair', ref);
    const provider = providers.get(e164)!;
    provider.emit('qr', { qr: 'wa-qr-1', expiresAt: Date.now() + 20_000 });
    const [state] = (await call('connection.list', { workspaceId: ref.workspaceId })) as NumberState[];
    expect(state).toMatchObject({ status: 'pairing', qr: { qr: 'wa-qr-1' } });
    expect(eventsOf('connection.qrReceived')).toMatchObject([{ e164, qr: 'wa-qr-1' }]);

    provider.emit('status', { state: 'open', isNewLogin: true });
    const [after] = (await call('connection.list', { workspaceId: ref.workspaceId })) as NumberState[];
    expect(after).toMatchObject({ status: 'connected', qr: null });
    expect(eventsOf('connection.changed').map((e) => e.status)).toEqual([
      'connecting',
      'pairing',
      'connected',
    ]);
  });

  it('starts a socket and waits for it before asking for a pairing code', async () => {
    const { ref, e164 } = await setUp();
    const pending = call('connection.requestPairingCode', ref);
    await new Promise((r) => setTimeout(r, 20));
    providers.get(e164)!.emit('qr', { qr: 'wa-qr-1', expiresAt: Date.now() + 20_000 });
    expect(await pending).toEqual({ code: 'ABCD1234' });
  });

  it('reports alerts and customer messages as contract events', async () => {
    const { ref, e164 } = await setUp();
    await call('connection.pair', ref);
    const provider = providers.get(e164)!;
    provider.emit('status', { state: 'open', isNewLogin: false });
    provider.emit('status', {
      state: 'closed',
      close: { code: 440, message: 'replaced', paired: true, qrExhausted: false },
    });
    expect(eventsOf('alert.raised')).toMatchObject([{ e164, status: 'replaced' }]);
    provider.emit('message', {
      businessNumber: e164,
      providerMessageId: 'm1',
      chatId: '2348099999999@s.whatsapp.net',
      chatKind: 'direct',
      sender: { phone: '+2348099999999' as E164, waId: '2348099999999@s.whatsapp.net', name: 'Ada' },
      kind: 'text',
      text: 'Are you open?',
      timestamp: 1,
      offline: false,
      quotedId: null,
    } as never);
    expect(eventsOf('message.received')).toMatchObject([
      { from: '+2348099999999', name: 'Ada', text: 'Are you open?' },
    ]);
  });
});

describe('faq handlers', () => {
  it('creates, searches, edits, disables and deletes FAQs, tidying phrasings', async () => {
    const workspaceId = await newWorkspace();
    const faq = (await call('faq.create', {
      workspaceId,
      question: 'What time do you open?',
      answer: 'We open 8am to 6pm, Monday to Saturday.',
      phrasings: ['when do you open', ' When  do you open ', 'what time do you open?', 'opening hours'],
    })) as { id: string; phrasings: string[] };
    expect(faq.phrasings).toEqual(['when do you open', 'opening hours']);
    await call('faq.create', { workspaceId, question: 'Do you deliver?', answer: 'Yes, within Lagos.' });

    expect(await call('faq.list', { workspaceId, search: 'LAGOS' })).toMatchObject([
      { question: 'Do you deliver?' },
    ]);
    const edited = await call('faq.update', {
      workspaceId,
      faqId: faq.id,
      patch: { enabled: false, answer: 'From 9am.' },
    });
    expect(edited).toMatchObject({
      enabled: false,
      answer: 'From 9am.',
      phrasings: ['when do you open', 'opening hours'],
    });
    expect(await call('faq.list', { workspaceId, includeDisabled: false })).toHaveLength(1);

    await call('faq.delete', { workspaceId, faqId: faq.id });
    await expect(call('faq.delete', { workspaceId, faqId: faq.id })).rejects.toThrow(/NOT_FOUND/);
    await expect(call('faq.list', { workspaceId: 'nope' })).rejects.toThrow(/NOT_FOUND/);
    expect(eventsOf('faq.changed')).toHaveLength(4);
  });

  it("keeps the FAQ's words out of the event log (they may be a customer's, and events are synced)", async () => {
    const workspaceId = await newWorkspace();
    const faq = (await call('faq.create', {
      workspaceId,
      question: 'Do you sell zqfaqmarker sandals?',
      answer: 'Yes zqanswermarker',
      phrasings: ['zqphrasemarker sandals'],
    })) as { id: string };
    await call('faq.update', { workspaceId, faqId: faq.id, patch: { question: 'zqeditmarker sandals?' } });
    await call('faq.delete', { workspaceId, faqId: faq.id });
    await app.logger.flush();
    const page = (await call('log.query', {
      workspaceId,
      types: ['faq.created', 'faq.updated', 'faq.deleted'],
    })) as {
      events: { type: string; message: string; meta: unknown }[];
    };
    expect(page.events.map((e) => e.type).sort()).toEqual(['faq.created', 'faq.deleted', 'faq.updated']);
    const text = JSON.stringify(page.events);
    for (const marker of ['zqfaqmarker', 'zqanswermarker', 'zqphrasemarker', 'zqeditmarker'])
      expect(text).not.toContain(marker);
    expect(page.events.every((e) => (e.meta as { faqId?: string }).faqId === faq.id)).toBe(true);
  });
});

describe('faq try, CSV export and import', () => {
  it('tries a message against the enabled FAQs, with reasons, and sees FAQ changes at once', async () => {
    const workspaceId = await newWorkspace();
    await call('faq.create', {
      workspaceId,
      question: 'Do you deliver?',
      answer: 'Yes, within Lagos.',
      phrasings: ['do you do delivery', 'can you deliver to my house'],
    });
    const hours = (await call('faq.create', {
      workspaceId,
      question: 'What time do you open?',
      answer: '8am.',
      phrasings: ['opening hours'],
    })) as { id: string };
    type Tried = {
      threshold: number;
      matches: { question: string; confidence: number; words: string[]; wouldAnswer: boolean }[];
    };
    const tried = (await call('faq.try', { workspaceId, text: 'una dey deliver to my house?' })) as Tried;
    expect(tried.threshold).toBe(0.55);
    expect(tried.matches[0]).toMatchObject({ question: 'Do you deliver?', wouldAnswer: true });
    expect(tried.matches[0]!.confidence).toBeGreaterThan(0.55);
    expect(tried.matches[0]!.words.length).toBeGreaterThan(0);
    expect(tried.matches.length).toBeLessThanOrEqual(3);

    await call('faq.update', { workspaceId, faqId: hours.id, patch: { enabled: false } });
    const after = (await call('faq.try', { workspaceId, text: 'what time do you open' })) as Tried;
    expect(after.matches.map((m) => m.question)).not.toContain('What time do you open?');
    await expect(call('faq.try', { workspaceId, text: '   ' })).rejects.toThrow(/VALIDATION/);
  });

  it("reads a message through the owner's words that mean the same, once saved in the settings", async () => {
    const workspaceId = await newWorkspace();
    await call('faq.create', { workspaceId, question: 'How much is suya?', answer: 'N2,000 a stick.' });
    await call('faq.create', { workspaceId, question: 'What time do you open?', answer: '4pm.' });
    type Tried = { matches: { question: string; notes: string[]; wouldAnswer: boolean }[] };
    const before = (await call('faq.try', { workspaceId, text: 'una get kilishi?' })) as Tried;
    expect(before.matches[0]?.wouldAnswer ?? false).toBe(false);
    await call('workspace.updateSettings', {
      workspaceId,
      settings: { faq: { synonyms: [['suya', 'kilishi', 'grilled meat']] } },
    });
    const after = (await call('faq.try', { workspaceId, text: 'una get kilishi?' })) as Tried;
    expect(after.matches[0]).toMatchObject({ question: 'How much is suya?', wouldAnswer: true });
    expect(after.matches[0]!.notes).toContain(
      '"kilishi" read as "suya" (same meaning: the same in this shop (your synonyms))',
    );
    const bad = await dispatch('workspace.updateSettings', {
      workspaceId,
      settings: { faq: { synonyms: [['suya']] } },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(!bad.ok && bad.error.message).toContain('needs at least two words');
  });

  it('imports good rows in one go, skips broken ones with their line, and round-trips the export', async () => {
    const workspaceId = await newWorkspace();
    await call('faq.create', { workspaceId, question: 'Do you deliver?', answer: 'No.' });
    const csv = [
      '\uFEFFquestion,answer,phrasings,enabled',
      '"Do you deliver?","Yes, ""fast"", in Lagos",delivery|una dey deliver,yes',
      'What time do you open?,"8am\nto 6pm",,yes',
      ',missing question,,yes',
      'Too,few',
      'Where are you?,Lekki,"where una dey",no',
      'where are you?,duplicate,,yes',
      `Long?,${'x'.repeat(4001)},,yes`,
    ].join('\r\n');
    const result = (await call('faq.importCsv', { workspaceId, csv })) as {
      created: number;
      updated: number;
      errors: { line: number; message: string }[];
    };
    expect(result).toMatchObject({ created: 2, updated: 1 });
    expect(result.errors).toEqual([
      { line: 5, message: 'Question cannot be empty' },
      { line: 6, message: expect.stringContaining('too few columns') },
      { line: 8, message: 'the same question as line 7' },
      { line: 9, message: 'Answer is too long (at most 4000 characters)' },
    ]);
    const faqs = (await call('faq.list', { workspaceId })) as {
      question: string;
      answer: string;
      phrasings: string[];
      enabled: boolean;
    }[];
    faqs.sort((a, b) => a.question.localeCompare(b.question));
    expect(faqs.map((f) => [f.question, f.answer, f.phrasings, f.enabled])).toEqual([
      ['Do you deliver?', 'Yes, "fast", in Lagos', ['delivery', 'una dey deliver'], true],
      ['What time do you open?', '8am\nto 6pm', [], true],
      ['Where are you?', 'Lekki', ['where una dey'], false],
    ]);
    expect(eventsOf('faq.importProgressed').at(-1)).toEqual({ workspaceId, done: 3, total: 3 });

    const exported = (await call('faq.exportCsv', { workspaceId })) as { csv: string; filename: string };
    expect(exported.filename).toMatch(/^faqs-\d{4}-\d\d-\d\d\.csv$/);
    const other = await newWorkspace();
    expect(await call('faq.importCsv', { workspaceId: other, csv: exported.csv })).toEqual({
      created: 3,
      updated: 0,
      errors: [],
    });
    const copied = (await call('faq.list', { workspaceId: other })) as typeof faqs;
    copied.sort((a, b) => a.question.localeCompare(b.question));
    expect(copied.map((f) => [f.question, f.answer, f.phrasings, f.enabled])).toEqual(
      faqs.map((f) => [f.question, f.answer, f.phrasings, f.enabled]),
    );
    // Importing the same file again changes the FAQs in place.
    expect(await call('faq.importCsv', { workspaceId: other, csv: exported.csv })).toMatchObject({
      created: 0,
      updated: 3,
    });
    await expect(call('faq.importCsv', { workspaceId, csv: 'x'.repeat(1_000_001) })).rejects.toThrow(
      /at most 1 MB/,
    );
  });

  it('stores nothing when every row is broken', async () => {
    const workspaceId = await newWorkspace();
    const result = (await call('faq.importCsv', {
      workspaceId,
      csv: 'question,answer\n"broken,\n',
    })) as { created: number; errors: unknown[] };
    expect(result.created).toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(await call('faq.list', { workspaceId })).toEqual([]);
  });
});

describe('log handlers', () => {
  it('pages the event log with filters and announces new entries for the live tail', async () => {
    const { workspace } = (await call('workspace.create', { name: 'Shop' })) as { workspace: { id: string } };
    for (let i = 0; i < 5; i++) {
      await call('faq.create', { workspaceId: workspace.id, question: `Q${i}`, answer: 'A' });
    }
    await app.logger.flush();
    const page1 = (await call('log.query', { workspaceId: workspace.id, typePrefix: 'faq.', limit: 3 })) as {
      events: { type: string; seq: number }[];
      nextBeforeSeq: number | null;
    };
    expect(page1.events).toHaveLength(3);
    expect(page1.nextBeforeSeq).not.toBeNull();
    const page2 = (await call('log.query', {
      workspaceId: workspace.id,
      typePrefix: 'faq.',
      limit: 3,
      beforeSeq: page1.nextBeforeSeq,
    })) as { events: unknown[]; nextBeforeSeq: number | null };
    expect(page2.events).toHaveLength(2);
    expect(page2.nextBeforeSeq).toBeNull();

    await expect.poll(() => eventsOf('log.appended').flatMap((e) => e.workspaceIds)).toContain(workspace.id);
    const newest = page1.events[0]!.seq;
    await call('faq.create', { workspaceId: workspace.id, question: 'Later', answer: 'A' });
    await expect
      .poll(
        async () =>
          (
            (await call('log.query', { workspaceId: workspace.id, afterSeq: newest })) as {
              events: unknown[];
            }
          ).events.length,
      )
      .toBe(1);
  });
});

describe('conversation handlers', () => {
  const CHAT = '2348099999999@s.whatsapp.net';
  async function connectedShop() {
    const shop = await core.connectedShop();
    const { provider, say } = await shop.link();
    const ada = { phone: '+2348099999999' as E164, chat: CHAT, name: 'Ada' };
    return {
      workspaceId: shop.workspaceId,
      e164: shop.number.e164,
      provider,
      customer: (text: string) => say(text, ada),
    };
  }

  type Summary = { chatId: string; handedOff: boolean; botPausedUntil: number | null };
  type Thread = {
    messages: { author: string; text: string; kind: string | null }[];
    nextBefore: number | null;
  };

  it('lists chats by last message and shows the thread with who wrote what and the bot reply kinds', async () => {
    const { workspaceId, provider, customer } = await connectedShop();
    customer('What time do you open?');
    await expect.poll(() => provider.sent.length).toBe(1);
    expect(provider.sent[0]).toMatchObject({ chatId: CHAT, text: 'We open 8am to 6pm.' });

    await expect
      .poll(async () => ((await call('conversation.list', { workspaceId })) as unknown[]).length)
      .toBe(1);
    await expect
      .poll(async () => ((await call('conversation.list', { workspaceId })) as Summary[])[0])
      .toMatchObject({
        chatId: CHAT,
        contactName: 'Ada',
        contactPhone: '+2348099999999',
        lastMessage: { author: 'bot', text: 'We open 8am to 6pm.' },
        handedOff: false,
        botPausedUntil: null,
      });
    const thread = (await call('conversation.thread', { workspaceId, chatId: CHAT })) as Thread;
    expect(thread.messages).toMatchObject([
      { author: 'contact', text: 'What time do you open?', kind: null },
      { author: 'bot', text: 'We open 8am to 6pm.', kind: 'faq' },
    ]);
    expect(thread.nextBefore).toBeNull();
    // Paging: the newest one, then the rest.
    const newest = (await call('conversation.thread', { workspaceId, chatId: CHAT, limit: 1 })) as Thread;
    expect(newest.messages.map((m) => m.author)).toEqual(['bot']);
    expect(newest.nextBefore).not.toBeNull();
    expect(eventsOf('conversation.changed')).toContainEqual({ workspaceId, chatId: CHAT });

    // Another workspace sees none of it.
    const other = (await call('workspace.create', { name: 'Other' })) as { workspace: { id: string } };
    expect(await call('conversation.list', { workspaceId: other.workspace.id })).toEqual([]);
    expect(
      ((await call('conversation.thread', { workspaceId: other.workspace.id, chatId: CHAT })) as Thread)
        .messages,
    ).toEqual([]);
    await expect(call('conversation.list', { workspaceId: 'nope' })).rejects.toThrow(/NOT_FOUND/);
  });

  it('hands off, releases, pauses, and sends the owner reply which pauses the bot', async () => {
    const { workspaceId, e164, provider, customer } = await connectedShop();
    customer('I want to speak to a human');
    await expect
      .poll(async () => ((await call('conversation.list', { workspaceId })) as Summary[])[0]?.handedOff)
      .toBe(true);
    expect(await call('conversation.release', { workspaceId, chatId: CHAT })).toEqual({ released: 1 });
    expect(((await call('conversation.list', { workspaceId })) as Summary[])[0]?.handedOff).toBe(false);
    expect(await call('conversation.release', { workspaceId, chatId: CHAT })).toEqual({ released: 0 });

    const before = Date.now();
    const paused = (await call('conversation.pause', { workspaceId, chatId: CHAT, minutes: 30 })) as {
      botPausedUntil: number;
    };
    expect(paused.botPausedUntil).toBeGreaterThanOrEqual(before + 30 * 60_000);
    expect(((await call('conversation.list', { workspaceId })) as Summary[])[0]?.botPausedUntil).toBe(
      paused.botPausedUntil,
    );
    // Paused: a question the bot knows gets no answer.
    const sentBefore = provider.sent.length;
    customer('What time do you open?');
    await app.pipeline.idle();
    await new Promise((r) => setTimeout(r, 50));
    expect(provider.sent.length).toBe(sentBefore);

    const reply = (await call('conversation.reply', {
      workspaceId,
      chatId: CHAT,
      text: '  We open at 8, come by!  ',
    })) as { id: string; author: string; text: string };
    expect(reply).toMatchObject({ author: 'owner', text: 'We open at 8, come by!', status: 'sent' });
    const out = provider.sent.at(-1)!;
    expect(out).toMatchObject({ chatId: CHAT, text: 'We open at 8, come by!' });
    expect(out.messageId).toMatch(/^3EB0[0-9A-F]+$/);
    // The echo of the same message from the phone is not stored twice.
    provider.emit('ownerReply', {
      businessNumber: e164,
      chatId: CHAT,
      providerMessageId: out.messageId,
      text: out.text,
      timestamp: Date.now(),
    });
    await app.pipeline.idle();
    const thread = (await call('conversation.thread', { workspaceId, chatId: CHAT })) as Thread;
    expect(thread.messages.filter((m) => m.author === 'owner')).toHaveLength(1);
    expect(thread.messages.at(-1)).toMatchObject({ author: 'owner', text: 'We open at 8, come by!' });
    await app.logger.flush();
    const logged = (await call('log.query', { workspaceId, types: ['message.sent'] })) as {
      events: { meta: { kind?: string } | null }[];
    };
    expect(logged.events.map((e) => e.meta?.kind)).toContain('owner');
  });

  it('refuses a reply with no number connected, an empty or too long reply, and an unknown chat', async () => {
    const { workspaceId, provider, customer } = await connectedShop();
    customer('What time do you open?');
    await expect.poll(() => provider.sent.length).toBe(1);
    await expect(call('conversation.reply', { workspaceId, chatId: CHAT, text: '   ' })).rejects.toThrow(
      /VALIDATION: .*Reply cannot be empty/,
    );
    await expect(
      call('conversation.reply', { workspaceId, chatId: CHAT, text: 'x'.repeat(4097) }),
    ).rejects.toThrow(/VALIDATION: .*at most 4096/);
    expect(
      (await dispatch('conversation.reply', { workspaceId, chatId: CHAT, text: 'x'.repeat(4096) })).ok,
    ).toBe(true);
    await expect(
      call('conversation.reply', { workspaceId, chatId: 'nobody@s.whatsapp.net', text: 'Hi' }),
    ).rejects.toThrow(/NOT_FOUND/);
    await expect(call('conversation.pause', { workspaceId, chatId: CHAT, minutes: 0 })).rejects.toThrow(
      /VALIDATION/,
    );

    provider.emit('status', {
      state: 'closed',
      close: { code: 401, message: 'logged out', paired: true, qrExhausted: false },
    });
    await expect(call('conversation.reply', { workspaceId, chatId: CHAT, text: 'Hello?' })).rejects.toThrow(
      /UNAVAILABLE: \+\d+, the number this customer wrote to, is not connected right now/,
    );
  });

  it('records what the bot could not answer, and turns it into an FAQ the bot then uses', async () => {
    const { workspaceId, provider, customer } = await connectedShop();
    customer('Do you sell size 44 sneakers?');
    await expect.poll(() => unansweredGroups(workspaceId)).toBe(1);
    // A chat already with a person is not the bot's question; released, the bot abstains again.
    await call('conversation.release', { workspaceId, chatId: CHAT });
    customer('do you sell size 44 sneakers??');
    await app.pipeline.idle();
    type Group = { representative: string; count: number; ids: string[]; samples: { text: string }[] };
    const [group] = (await call('unanswered.list', { workspaceId })) as Group[];
    expect(group).toMatchObject({ representative: 'Do you sell size 44 sneakers?', count: 2 });
    expect(eventsOf('unanswered.changed').length).toBeGreaterThanOrEqual(1);
    const logged = (await call('log.query', { workspaceId, types: ['bot.unanswered'] })) as {
      events: unknown[];
    };
    expect(logged.events.length).toBeGreaterThanOrEqual(1);

    const created = (await call('unanswered.resolve', {
      workspaceId,
      ids: group!.ids,
      action: { type: 'new-faq', question: 'Do you have size 44?', answer: 'Yes, size 44 is N25,000.' },
    })) as { resolved: number; faqId: string };
    expect(created.resolved).toBe(group!.ids.length);
    const faq = ((await call('faq.list', { workspaceId })) as { id: string; phrasings: string[] }[]).find(
      (f) => f.id === created.faqId,
    )!;
    expect(faq.phrasings).toEqual(['Do you sell size 44 sneakers?']);
    expect(await call('unanswered.list', { workspaceId })).toEqual([]);
    await expect(
      call('unanswered.resolve', { workspaceId, ids: group!.ids, action: { type: 'dismiss' } }),
    ).rejects.toThrow(/NOT_FOUND/);

    // The chat went to a person; once released, the same question gets the new answer.
    await call('conversation.release', { workspaceId, chatId: CHAT });
    // The new FAQ reaches the pipeline's bot off the event loop (prepared beside the index in use, then
    // swapped in): a message in the meantime is matched against the FAQs as they were, by design.
    await app.pipeline.idle();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    customer('Do you sell size 44 sneakers?');
    await expect.poll(() => provider.sent.at(-1)?.text).toBe('Yes, size 44 is N25,000.');
  });

  it('adds a group as phrasings of an FAQ, or dismisses it, and never touches another workspace', async () => {
    const { workspaceId, customer } = await connectedShop();
    customer('Which bank do I pay into?');
    await expect.poll(() => unansweredGroups(workspaceId)).toBe(1);
    await call('conversation.release', { workspaceId, chatId: CHAT });
    customer('Is parking available near the shop?');
    await expect.poll(() => unansweredGroups(workspaceId)).toBe(2);
    type Group = { representative: string; ids: string[] };
    const groups = (await call('unanswered.list', { workspaceId })) as Group[];
    const bank = groups.find((g) => g.representative.includes('bank'))!;
    const parking = groups.find((g) => g.representative.includes('parking'))!;
    const pay = (await call('faq.create', {
      workspaceId,
      question: 'How do I pay?',
      answer: 'Transfer.',
    })) as {
      id: string;
    };
    const { workspace: other } = (await call('workspace.create', { name: 'Other' })) as {
      workspace: { id: string };
    };
    await expect(
      call('unanswered.resolve', { workspaceId: other.id, ids: bank.ids, action: { type: 'dismiss' } }),
    ).rejects.toThrow(/NOT_FOUND/);
    await expect(
      call('unanswered.resolve', {
        workspaceId,
        ids: bank.ids,
        action: { type: 'add-phrasing', faqId: 'nope' },
      }),
    ).rejects.toThrow(/NOT_FOUND/);
    expect(await call('unanswered.list', { workspaceId })).toHaveLength(2); // nothing half-done

    await call('unanswered.resolve', {
      workspaceId,
      ids: bank.ids,
      action: { type: 'add-phrasing', faqId: pay.id },
    });
    const faqs = (await call('faq.list', { workspaceId })) as { id: string; phrasings: string[] }[];
    expect(faqs.find((f) => f.id === pay.id)!.phrasings).toEqual(['Which bank do I pay into?']);
    expect(
      await call('unanswered.resolve', { workspaceId, ids: parking.ids, action: { type: 'dismiss' } }),
    ).toEqual({ resolved: 1, faqId: null });
    expect(await call('unanswered.list', { workspaceId })).toEqual([]);
  });

  type Counts = { unread: number; unreadChats: number; waiting: number; oldestWaitingSince: number | null };
  const unreadOf = async (workspaceId: string) =>
    ((await call('conversation.list', { workspaceId })) as { unread: number }[])[0]?.unread;

  it('counts customer messages the owner has not seen; opening or answering the chat reads them', async () => {
    const { workspaceId, provider, customer } = await connectedShop();
    customer('What time do you open?');
    await expect.poll(() => provider.sent.length).toBe(1);
    await expect.poll(() => unreadOf(workspaceId)).toBe(1);
    customer('I want to speak to a human');
    // Stored first, decided a moment later: the chat waits once the hand-off is committed.
    await expect
      .poll(async () => ((await call('conversation.counts', { workspaceId })) as Counts).waiting)
      .toBe(1);
    const counts = (await call('conversation.counts', { workspaceId })) as Counts;
    expect(counts).toMatchObject({ unread: 2, unreadChats: 1, waiting: 1 });
    expect(counts.oldestWaitingSince).toBeGreaterThan(0);

    // Opened: read, announced once (a second call moves nothing and says nothing). The hand-off is
    // announced, and its holding message sent, after the count shows the wait: both come first.
    await expect.poll(() => eventsOf('conversation.escalated').length).toBe(1);
    await expect.poll(() => provider.sent.length).toBe(2);
    await app.pipeline.idle();
    const changedBefore = eventsOf('conversation.changed').length;
    expect(await call('conversation.markRead', { workspaceId, chatId: CHAT })).toEqual({ unread: 0 });
    expect(eventsOf('conversation.changed').length).toBe(changedBefore + 1);
    expect(await call('conversation.markRead', { workspaceId, chatId: CHAT })).toEqual({ unread: 0 });
    expect(eventsOf('conversation.changed').length).toBe(changedBefore + 1);
    expect(await call('conversation.counts', { workspaceId })).toMatchObject({ unread: 0, unreadChats: 0 });

    // A marker never goes back: an older "seen up to" leaves the chat read.
    customer('Hello?');
    await expect.poll(() => unreadOf(workspaceId)).toBe(1);
    expect(await call('conversation.markRead', { workspaceId, chatId: CHAT, upTo: 1 })).toEqual({
      unread: 1,
    });
    // The owner answering (from the app here; from the phone alike) reads the chat too.
    await call('conversation.reply', { workspaceId, chatId: CHAT, text: 'I am here, how can I help?' });
    expect(await unreadOf(workspaceId)).toBe(0);
    expect(await call('conversation.counts', { workspaceId })).toMatchObject({ unread: 0, waiting: 0 });
  });

  it('keeps read markers and counts to their workspace', async () => {
    const { workspaceId, customer } = await connectedShop();
    customer('What time do you open?');
    await expect.poll(() => unreadOf(workspaceId)).toBe(1);
    const { workspace: other } = (await call('workspace.create', { name: 'Other' })) as {
      workspace: { id: string };
    };
    // The same chat id in another workspace: marking it there reads nothing here.
    expect(await call('conversation.markRead', { workspaceId: other.id, chatId: CHAT })).toEqual({
      unread: 0,
    });
    expect(await unreadOf(workspaceId)).toBe(1);
    expect(await call('conversation.counts', { workspaceId: other.id })).toEqual({
      unread: 0,
      unreadChats: 0,
      waiting: 0,
      oldestWaitingSince: null,
    });
    await expect(call('conversation.markRead', { workspaceId: 'nope', chatId: CHAT })).rejects.toThrow(
      /NOT_FOUND/,
    );
    await expect(call('conversation.counts', { workspaceId: 'nope' })).rejects.toThrow(/NOT_FOUND/);
  });

  it("reminds the owner of a chat still waiting after the workspace's minutes, until it is answered", async () => {
    const { workspaceId, customer } = await connectedShop();
    await call('workspace.updateSettings', {
      workspaceId,
      settings: { notifications: { remindAfterMinutes: 2 } },
    });
    const timers = createFakeTimers(Date.now());
    const reminding = createCoreRuntime(app, { timers, reminderCheckMs: 1_000 });
    const told: Events['conversation.escalated'][] = [];
    // The fake clock fires the check; the check reads SQLite for real, so let it finish between steps.
    const pass = async (ms: number) => {
      for (let i = 0; i < ms / 1_000; i++) {
        await timers.advance(1_000);
        await new Promise((r) => setTimeout(r, 2));
      }
    };
    reminding.events.on('conversation.escalated', (event) => told.push(event));
    try {
      customer('I want to speak to a human');
      await expect.poll(() => told.length).toBe(1);
      expect(told[0]).toMatchObject({ chatId: CHAT, contactName: 'Ada', again: false });
      await pass(60_000);
      expect(told).toHaveLength(1);
      await pass(61_000);
      await expect.poll(() => told.length).toBe(2);
      expect(told[1]).toMatchObject({ chatId: CHAT, reason: 'reminder', again: true, contactName: 'Ada' });
      expect(told[1]!.waitingSince).toBe(told[0]!.waitingSince);

      await call('conversation.reply', { workspaceId, chatId: CHAT, text: 'Hello Ada, I am here.' });
      await pass(5 * 60_000);
      expect(told).toHaveLength(2);
    } finally {
      reminding.close();
    }
  });
});
