import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E164, WorkspaceId } from '../../../shared/types';
import { openTempStore } from '../../testing/temp-files';
import type { SqliteConnection, Store } from '../open-database';
import { createContactRepository } from './contacts';
import { createChatReadRepository } from './chat-reads';
import { createConversationRepository, EMPTY_CONVERSATION } from './conversations';
import { createFaqVersionRepository } from './faq-versions';
import { createFaqRepository } from './faqs';
import { createMessageRepository } from './messages';
import { createOutboxRepository } from './outbox';
import { createPhoneNumberRepository } from './phone-numbers';
import { createPipelineMessageRepository } from './pipeline-messages';
import { createStatsRepository } from './stats';
import { createWaAuthRepository } from './wa-auth';
import { createWorkspaceRepository } from './workspaces';
import { insertTestWorkspace } from '../../testing/fixtures';
import { createUnansweredRepository } from './unanswered-questions';
import { createSyncStateRepository } from './sync-state';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createAiKeyRepository } from './ai-keys';
import { createAiSpendRepository } from './ai-spend';
import { createFileKeySecretBox } from '../../secrets/file-key-secret-box';
import type { SecretBox } from '../../secrets/secret-box';
import { makeTempDir } from '../../testing/temp-files';
import { createCloudNumberRepository } from '../../cloud/cloud-store';
import { createServiceWindowRepository } from './service-window';
import { createHeldWebhookStore } from '../../whatsapp/cloud-api/held-webhooks';
import { createLidMappingRepository } from './lid-mappings';
import { createEventLogRepository } from './event-log';
import { createMessageMediaRepository, type NewMessageMedia } from './message-media';
import { createFaqAttachmentRepository } from './faq-attachments';
import { createChatProfileRepository } from './chat-profiles';
import { createInboxChatRepository } from './inbox-chats';
import { createLabelRepository } from './labels';
import { createLearningRepository } from './learning';
import { createMessageSearchRepository } from './message-search';
import { createSavedReplyRepository } from './saved-replies';

/**
 * The isolation proof. Two workspaces hold the same data (same FAQ text, same customer number, same
 * provider message id, same Signal key ids). Every workspace-scoped repository function is called with
 * workspace A's id and workspace B's row ids; B's rows must come out byte for byte unchanged and no
 * result may carry anything of B's. A function added to a repository without a case here fails the
 * coverage check, so the proof stays complete as the repositories grow.
 */

const A = 'ws-a' as WorkspaceId;
const B = 'ws-b' as WorkspaceId;
const CUSTOMER = '+2348031234567' as E164;
const NUMBER_A = '+2348090000001' as E164;
const NUMBER_B = '+2348090000002' as E164;
let idCounter = 0;
const newId = () => `gen-${++idCounter}`;

let store: Store;
let cleanup: () => Promise<void>;
let box: SecretBox;

const repos = () => ({
  phoneNumbers: createPhoneNumberRepository(store.db),
  contacts: createContactRepository(store.db),
  faqs: createFaqRepository(store.db, newId),
  messages: createMessageRepository(store.db),
  waAuth: createWaAuthRepository(store.db, box),
  conversations: createConversationRepository(store.db),
  outbox: createOutboxRepository(store.db),
  pipelineMessages: createPipelineMessageRepository(store.db),
  faqVersions: createFaqVersionRepository(store.db),
  unanswered: createUnansweredRepository(store.db, newId),
  stats: createStatsRepository(store.db),
  syncState: createSyncStateRepository(store.db),
  aiKeys: createAiKeyRepository(store.db, box),
  aiSpend: createAiSpendRepository(store.db),
  cloudNumbers: createCloudNumberRepository(store.db, box),
  serviceWindow: createServiceWindowRepository(store.db),
  heldWebhooks: createHeldWebhookStore(store.db),
  lidMappings: createLidMappingRepository(store.db),
  chatReads: createChatReadRepository(store.db),
  eventLog: createEventLogRepository(store),
  messageMedia: createMessageMediaRepository(store.db),
  faqAttachments: createFaqAttachmentRepository(store.db),
  chatProfiles: createChatProfileRepository(store.db),
  inboxChats: createInboxChatRepository(store.db),
  labels: createLabelRepository(store.db),
  learning: createLearningRepository(store.db, newId),
  messageSearch: createMessageSearchRepository(store.db),
  savedReplies: createSavedReplyRepository(store.db),
});

/** Factories this proof builds (by function name): the discovery check below compares them with src/core. */
const FACTORY_NAMES = [
  createPhoneNumberRepository,
  createContactRepository,
  createFaqRepository,
  createMessageRepository,
  createWaAuthRepository,
  createConversationRepository,
  createOutboxRepository,
  createPipelineMessageRepository,
  createFaqVersionRepository,
  createUnansweredRepository,
  createStatsRepository,
  createSyncStateRepository,
  createAiKeyRepository,
  createAiSpendRepository,
  createCloudNumberRepository,
  createServiceWindowRepository,
  createHeldWebhookStore,
  createLidMappingRepository,
  createChatReadRepository,
  createEventLogRepository,
  createMessageMediaRepository,
  createFaqAttachmentRepository,
  createChatProfileRepository,
  createInboxChatRepository,
  createLabelRepository,
  createLearningRepository,
  createMessageSearchRepository,
  createSavedReplyRepository,
].map((factory) => factory.name);

/** Store factories in src/core that are not workspace-scoped repositories, each with its reason. */
const NOT_SCOPED: Record<string, string> = {
  createWorkspaceRepository:
    'the workspaces themselves; the deletion case below proves a delete stays in its workspace',
  createUnroutableMessageStore:
    'messages to a number no workspace owns yet: by definition they belong to none',
  createBudgetLedger: 'in memory only; its persistent form is createPersistentBudgetLedger',
  createPersistentBudgetLedger:
    'keyed by workspace in memory and in ai_spend; covered by ai-store.test.ts per workspace',
};

/**
 * Functions that are machine-wide by design (the event log's retention and sequence), listed with the
 * reason instead of a case, so the coverage check still names every function.
 */
const MACHINE_WIDE: Partial<Record<keyof ReturnType<typeof repos>, Record<string, string>>> = {
  aiSpend: {
    since: "loads every workspace's totals at start-up into the one ledger, which keys them by workspace",
  },
  eventLog: {
    appendBatch: "writes the rows it is given; each row carries its own workspace (the logger's child)",
    lastSeq: 'the sequence is one for the machine: a number, never a row',
    enforceRetention:
      "retention keeps the machine's one log bounded; its ordering is tested in event-log.test.ts",
    enforceRetentionKeepingUnsynced: "the same, keeping each enrolled workspace's unpushed rows",
  },
};

/** Every `export function create...Repository|Store|Ledger(` in src/core outside tests and test kits. */
function storeFactoriesInCore(): string[] {
  const root = join(import.meta.dirname, '..', '..');
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== 'testing') walk(path);
      } else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts')) {
        for (const match of readFileSync(path, 'utf8').matchAll(
          /export function (create\w+(?:Repository|Store|Ledger))\(/g,
        ))
          found.push(match[1]!);
      }
    }
  };
  walk(root);
  return found.sort();
}

// The same photo (same hash) on each workspace's message; B's file name and ref name B.
const mediaOf = (suffix: string): NewMessageMedia => ({
  messageId: `msg-${suffix}`,
  kind: 'image',
  mime: 'image/jpeg',
  size: 10,
  fileName: `photo-${suffix}.jpg`,
  caption: null,
  durationSeconds: null,
  thumbnail: null,
  extra: null,
  ref: `{"ref":"ref-${suffix}"}`,
  state: 'pending',
});
const SAME_HASH = 'ab'.repeat(32);

const PRICING = { billable: true, model: 'PMP', category: 'service', type: 'regular' };
const cloudInput = (suffix: string) => ({
  phoneNumberId: `PNID-${suffix}`,
  wabaId: '102290129340398',
  accessToken: `EAAG-token-${suffix}-0000000000000000`,
  appSecret: `app-secret-${suffix}-00000000`,
  verifyToken: `verify-${suffix}`,
  graphBaseUrl: null,
  graphVersion: null,
});

async function seed(ws: WorkspaceId, suffix: string, number: E164): Promise<void> {
  await insertTestWorkspace(store.db, ws, { name: 'Same Name Stores' });
  const r = repos();
  await r.phoneNumbers.insert(
    ws,
    { id: `pn-${suffix}`, e164: number, provider: 'baileys', status: 'connected', label: 'Shop' },
    1,
  );
  await r.contacts.upsert(
    ws,
    { phone: CUSTOMER, waId: '2348031234567@s.whatsapp.net', name: 'Emeka' },
    `ct-${suffix}`,
    1,
  );
  await r.faqs.create(
    ws,
    `faq-${suffix}`,
    {
      question: 'Una dey open?',
      answer: 'Yes 9-5',
      phrasings: ['una dey open', 'are you open'],
      enabled: true,
    },
    1,
  );
  await r.messages.insert(
    ws,
    {
      id: `msg-${suffix}`,
      businessNumber: number,
      providerMessageId: 'WAMID-SAME',
      chatId: '2348031234567@s.whatsapp.net',
      contactId: `ct-${suffix}`,
      direction: 'in',
      author: 'contact',
      text: 'Una dey open?',
      status: 'received',
      providerTs: 1,
    },
    1,
  );
  // The bot handed that question over and the owner answered it by hand: what the thread offers to save.
  await store.db
    .updateTable('messages')
    .set({ decision: 'handoff-bot' })
    .where('id', '=', `msg-${suffix}`)
    .execute();
  await r.messages.insert(
    ws,
    {
      id: `msg-owner-${suffix}`,
      businessNumber: number,
      providerMessageId: 'WAMID-OWNER',
      chatId: CHAT,
      contactId: `ct-${suffix}`,
      direction: 'out',
      author: 'owner',
      text: `Yes we open 9-5 (owner-${suffix})`,
      status: 'sent',
      providerTs: 1,
    },
    1,
  );
  // The same label, saved reply, profile and learned phrasing for the same chat in both workspaces.
  await r.labels.create(ws, { id: `lbl-vip-${suffix}`, name: 'VIP', color: '#123456' }, 1);
  await r.labels.setForChat(ws, CHAT, [`lbl-vip-${suffix}`], 1);
  await r.savedReplies.create(ws, { id: `sr-${suffix}`, title: 'Price list', text: `reply-${suffix}` }, 1);
  await r.chatProfiles.save(ws, CHAT, { name: `Emeka profile-${suffix}`, notes: `notes-${suffix}` }, 1);
  await createLearningRepository(store.db, () => `learned-${suffix}`).record(
    ws,
    [{ faqId: `faq-${suffix}`, kind: 'phrasing', text: `learned text ${suffix}`, chatId: CHAT }],
    1,
  );
  await r.learning.claimSend(
    ws,
    `faq-${suffix}`,
    { chatId: CHAT, businessNumber: number, messageId: `msg-${suffix}` },
    `out-${suffix}`,
    1,
  );
  // Read up to the message above; a later one (below) is unread in each workspace.
  await r.chatReads.markRead(ws, CHAT, 1, 1);
  await r.waAuth.writeCreds(ws, `pn-${suffix}`, `{"creds":"${suffix}"}`, 1);
  await r.waAuth.setKeys(ws, `pn-${suffix}`, [
    { type: 'pre-key', id: '1', value: `key-${suffix}` },
    { type: 'session', id: 'x', value: `sess-${suffix}` },
  ]);
  await r.conversations.saveMany(
    ws,
    [{ ...CONVERSATION, businessNumber: number, contactId: `ct-${suffix}` }],
    1,
  );
  await r.outbox.insertMany(
    ws,
    [
      {
        id: `out-${suffix}`,
        businessNumber: number,
        chatId: CHAT,
        inboundMessageId: `msg-${suffix}`,
        kind: 'faq',
        text: 'Yes 9-5',
      },
    ],
    1,
  );
  await createUnansweredRepository(store.db, () => `unq-${suffix}`).record(ws, 'Una get size 44??', 1);
  await r.aiKeys.set(ws, 'openai', `sk-key-${suffix}-00000000`, 1);
  await r.aiSpend.add(ws, 'day', '2026-01-01', suffix === 'b' ? 9_000_000 : 5_000, null, 1);
  await r.cloudNumbers.save(
    ws,
    `pn-${suffix}`,
    cloudInput(suffix),
    { displayPhoneNumber: number, verifiedName: 'Same Name Stores', qualityRating: 'GREEN', checkedAt: 1 },
    1,
  );
  await r.cloudNumbers.recordPricing(
    ws,
    { businessNumber: number, providerMessageId: 'WAMID-SAME', pricing: PRICING },
    1,
  );
  // The same relay server and seq in both workspaces (a relay seq is unique only per central workspace).
  await r.heldWebhooks.hold(
    ws,
    'https://central.example.ng|cw',
    { seq: 7, phoneNumberId: `PNID-${suffix}`, receivedAt: 1, notification: { marker: `evt-${suffix}` } },
    { messages: 1, statuses: 0 },
    1,
  );
  await r.messageMedia.insertMany(ws, [mediaOf(suffix)], 1);
  await r.messageMedia.markStored(ws, `msg-${suffix}`, { sha256: SAME_HASH, size: 10 }, 1);
  // The same price list attached to each workspace's FAQ.
  await r.faqAttachments.set(
    ws,
    {
      faqId: `faq-${suffix}`,
      kind: 'document',
      mime: 'application/pdf',
      fileName: 'prices.pdf',
      size: 10,
      sha256: SAME_HASH,
    },
    1,
  );
  // The same customer's LID in both workspaces.
  await r.lidMappings.learn(ws, number, [{ lid: CUSTOMER_LID, phoneJid: CHAT }], 'message', 1);
  await r.syncState.save(
    ws,
    {
      serverUrl: 'https://central.example.ng',
      centralWorkspaceId: `cw-${suffix}`,
      centralWorkspaceName: 'Same Name Stores HQ',
      tokenSealed: `v1:tok-${suffix}`,
      lastAckedSeq: 0,
    },
    1,
  );
  await store.db
    .insertInto('events')
    .values({
      ts: 1,
      level: 'info',
      type: 'message.received',
      workspace_id: ws,
      contact_id: `ct-${suffix}`,
      message: `evt-${suffix}`,
      meta: JSON.stringify({ messageId: `msg-${suffix}` }),
    })
    .execute();
}

const CHAT = '2348031234567@s.whatsapp.net';
const CUSTOMER_LID = '123456789012345@lid';
const CONVERSATION = {
  ...EMPTY_CONVERSATION,
  chatId: CHAT,
  firstSeenAt: 1,
  lastInboundAt: 1,
  greetedAt: 1,
  handoff: { since: 1, reason: 'handoff-keyword:agent' },
  clarification: { faqIds: ['faq-b'], askedAt: 1, expiresAt: 5 },
};

/** A's own messages in CHAT: all of them, or (given when the chat was read) the customer's unread ones. */
async function countOwnMessages(readAt?: number): Promise<number> {
  let query = store.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', A)
    .where('chat_id', '=', CHAT);
  if (readAt !== undefined) query = query.where('author', '=', 'contact').where('created_at', '>', readAt);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Everything workspace B owns, as stored. */
/** Every table that holds a workspace's rows, read from the schema so a new one is in the proof by itself. */
function workspaceTables(sqlite: SqliteConnection): string[] {
  return (
    sqlite
      .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`)
      .all() as { name: string }[]
  )
    .map((t) => t.name)
    .filter((t) =>
      (sqlite.pragma(`table_info(${t})`) as { name: string }[]).some((c) => c.name === 'workspace_id'),
    );
}

async function snapshotB(): Promise<unknown> {
  return store.exclusive((sqlite) => {
    const tables = workspaceTables(sqlite);
    return Object.fromEntries([
      ['workspaces', sqlite.prepare('select * from workspaces where id = ?').all(B)],
      ...tables.map((t) => [
        t,
        sqlite.prepare(`select * from ${t} where workspace_id = ? order by rowid`).all(B),
      ]),
    ]);
  });
}

const B_IDS = [
  'pn-b',
  'photo-b',
  'ref-b',
  'ct-b',
  'faq-b',
  'msg-b',
  'key-b',
  'sess-b',
  '"creds":"b"',
  'out-b',
  'unq-b',
  'cw-b',
  'tok-b',
  'evt-b',
  'sk-key-b',
  'PNID-b',
  'EAAG-token-b',
  'app-secret-b',
  'verify-b',
  'msg-owner-b',
  'owner-b',
  'lbl-vip-b',
  'sr-b',
  'reply-b',
  'profile-b',
  'notes-b',
  'learned-b',
  'learned text b',
];
function expectNothingOfB(result: unknown): void {
  const text = JSON.stringify(result ?? null);
  for (const id of B_IDS) expect(text).not.toContain(id);
  expect(text).not.toContain(B);
}

type Repos = ReturnType<typeof repos>;
type Cases = {
  [R in keyof Repos]: Partial<{ [F in keyof Repos[R]]: (repo: Repos[R]) => Promise<unknown> }>;
};

// Each function, called as workspace A against B's rows.
const CASES: Cases = {
  faqAttachments: {
    forFaqs: async (r) => [...(await r.forFaqs(A, ['faq-a', 'faq-b'])).keys()],
    // B's FAQ id: the row is the FAQ's own, so B's attachment stays as it was.
    set: (r) =>
      r.set(
        A,
        {
          faqId: 'faq-b',
          kind: 'image',
          mime: 'image/png',
          fileName: 'x.png',
          size: 1,
          sha256: 'cd'.repeat(32),
        },
        2,
      ),
    remove: (r) => r.remove(A, 'faq-b'),
  },
  messageMedia: {
    // B's message id: its row is the message's own (one per message), so B's stays as it was.
    insertMany: (r) => r.insertMany(A, [mediaOf('b')], 2),
    get: async (r) => {
      expect(await r.get(A, 'msg-b')).toBeUndefined();
      return r.get(A, 'msg-a');
    },
    forMessages: async (r) => [...(await r.forMessages(A, ['msg-a', 'msg-b'])).keys()],
    pending: (r) => r.pending(A, 10),
    usage: async (r) => {
      expect(await r.usage(A)).toBe(10);
      return r.usage(A);
    },
    markStored: (r) => r.markStored(A, 'msg-b', { sha256: 'cd'.repeat(32), size: 99 }, 2),
    markFailed: (r) => r.markFailed(A, 'msg-b', 'failed', 'nope', 2),
    requeue: (r) => r.requeue(A, 'msg-b', 2),
    updateRef: (r) => r.updateRef(A, 'msg-b', '{}', 2),
    // A's copy of the shared photo goes; B still stores it, so the file is not for deleting.
    expireBefore: async (r) => {
      expect(await r.expireBefore(A, 10, 2)).toEqual([]);
      return [];
    },
  },
  phoneNumbers: {
    insert: (r) =>
      r.insert(
        A,
        {
          id: 'pn-new',
          e164: '+2348090000003' as E164,
          provider: 'baileys',
          status: 'unpaired',
          label: null,
        },
        2,
      ),
    list: (r) => r.list(A),
    get: (r) => r.get(A, 'pn-b'),
    findByE164: (r) => r.findByE164(A, NUMBER_B),
    setStatus: (r) => r.setStatus(A, 'pn-b', 'banned', 2),
    setLabel: (r) => r.setLabel(A, 'pn-b', 'hijacked', 2),
    setProvider: async (r) => {
      expect(await r.setProvider(A, 'pn-b', 'cloud-api', 2)).toBe(false);
      return null;
    },
    delete: (r) => r.delete(A, 'pn-b'),
  },
  contacts: {
    get: (r) => r.get(A, 'ct-b'),
    findByPhone: (r) => r.findByPhone(A, CUSTOMER),
    findByWaId: (r) => r.findByWaId(A, '2348031234567@s.whatsapp.net'),
    upsert: (r) => r.upsert(A, { phone: CUSTOMER, waId: '999@lid', name: 'Changed' }, 'ct-new', 2),
    list: (r) => r.list(A),
    rename: (r) => r.rename(A, 'ct-b', 'hijacked', 2),
    delete: (r) => r.delete(A, 'ct-b'),
  },
  faqs: {
    create: (r) =>
      r.create(A, 'faq-new', { question: 'Una dey open?', answer: 'No', phrasings: ['x'], enabled: true }, 2),
    get: (r) => r.get(A, 'faq-b'),
    list: (r) => r.list(A, { includeDisabled: true }),
    update: (r) => r.update(A, 'faq-b', { answer: 'hijacked', phrasings: ['hijacked'], enabled: false }, 2),
    delete: (r) => r.delete(A, 'faq-b'),
  },
  messages: {
    insert: (r) =>
      r.insert(
        A,
        {
          id: 'msg-new',
          businessNumber: NUMBER_B,
          providerMessageId: 'WAMID-SAME',
          chatId: 'c',
          contactId: null,
          direction: 'in',
          author: 'contact',
          text: 'x',
          status: 'received',
          providerTs: 2,
        },
        2,
      ),
    get: (r) => r.get(A, 'msg-b'),
    findByProviderId: (r) => r.findByProviderId(A, NUMBER_B, 'WAMID-SAME'),
    listByChat: (r) =>
      r.listByChat(A, '2348031234567@s.whatsapp.net').then((rows) => rows.filter((m) => m.id !== 'msg-a')),
    setStatus: (r) => r.setStatus(A, 'msg-b', 'failed', 2),
    countSince: async (r) => {
      // A's own question and the owner's answer, and the one inserted above
      expect(await r.countSince(A, 0)).toBe(3);
      return null;
    },
  },
  waAuth: {
    readCreds: (r) => r.readCreds(A, 'pn-b'),
    writeCreds: (r) => r.writeCreds(A, 'pn-b', '{"creds":"hijacked"}', 2),
    getKeys: (r) => r.getKeys(A, 'pn-b', 'pre-key', ['1']),
    setKeys: (r) =>
      r.setKeys(A, 'pn-b', [
        { type: 'pre-key', id: '1', value: 'hijacked' },
        { type: 'session', id: 'x', value: null },
      ]),
    clear: (r) => r.clear(A, 'pn-b'),
    hasCreds: async (r) => {
      expect(await r.hasCreds(A, 'pn-b')).toBe(false);
      return null;
    },
  },
  conversations: {
    get: (r) => r.get(A, NUMBER_B, CHAT),
    getMany: (r) => r.getMany(A, NUMBER_B, [CHAT]).then((m) => [...m.values()]),
    saveMany: (r) =>
      r.saveMany(
        A,
        [{ ...CONVERSATION, businessNumber: NUMBER_B, contactId: null, handoff: null, floodCount: 9 }],
        2,
      ),
    pause: (r) => r.pause(A, NUMBER_B, CHAT, 99, 2),
    release: (r) => r.release(A, CHAT, 2),
    takeOver: (r) => r.takeOver(A, NUMBER_B, CHAT, 2),
    answeredByOwner: (r) => r.answeredByOwner(A, CHAT, 2),
    markWaiting: (r) => r.markWaiting(A, NUMBER_B, CHAT, 'send-failed', 2),
    listWaiting: (r) => r.listWaiting(A),
    listRecent: async (r) => {
      const chats = await r.listRecent(A);
      // A's chat names A's own contact, never B's copy of the same customer.
      expect(chats.find((c) => c.chatId === CHAT)?.contactId).toBe('ct-a');
      return chats;
    },
  },
  outbox: {
    insertMany: (r) =>
      r.insertMany(
        A,
        [
          {
            id: 'out-new',
            businessNumber: NUMBER_B,
            chatId: CHAT,
            inboundMessageId: 'msg-b',
            kind: 'faq',
            text: 'x',
          },
        ],
        2,
      ),
    get: (r) => r.get(A, 'out-b'),
    // A's row above names B's message as the one it answers: the join must not reach into B for it.
    // (The id itself is A's own input, echoed back, so it is left out of the leak check.)
    listPending: async (r) => {
      const rows = await r.listPending(A, NUMBER_B);
      expect(rows.map((row) => row.inboundProviderMessageId)).toEqual([null]);
      return rows.map(({ inboundMessageId: _, ...row }) => row);
    },
    listByChat: (r) =>
      r.listByChat(A, CHAT).then((rows) => rows.map(({ inboundMessageId: _, ...row }) => row)),
    pendingNumbers: (r) => r.pendingNumbers(A),
    kindsOf: async (r) => {
      const kinds = await r.kindsOf(A, ['out-b', 'out-a']);
      expect([...kinds.keys()]).toEqual(['out-a']);
      return [...kinds];
    },
    markSending: (r) => r.markSending(A, 'out-b', 2),
    markSent: (r) => r.markSent(A, 'out-b', 'hijacked', 2),
    reschedule: (r) => r.reschedule(A, 'out-b', { attempts: 9, nextAttemptAt: 9, lastError: 'hijacked' }, 2),
    markFailed: (r) => r.markFailed(A, 'out-b', 'hijacked', 2),
    describe: async (r) => [...(await r.describe(A, ['out-b']))],
    noteFailure: (r) => r.noteFailure(A, 'out-b', 'hijacked', 2),
    requeue: (r) => r.requeue(A, 'out-b', 2),
    isOwn: async (r) => {
      expect(await r.isOwn(A, 'out-b')).toBe(false);
      return null;
    },
    // B's queued reply sits in the same chat on B's number: only A's own rows may be cancelled.
    cancelQueuedBotReplies: (r) => r.cancelQueuedBotReplies(A, NUMBER_B, CHAT, 'hijacked', 2),
  },
  aiKeys: {
    set: (r) => r.set(A, 'openai', 'sk-key-a-new-11111111', 2),
    remove: (r) => r.remove(A, 'other-provider'),
    list: (r) => r.list(A),
    get: async (r) => {
      expect(await r.get(A, 'openai')).not.toContain('-b-');
      return r.get(A, 'openai');
    },
  },
  aiSpend: {
    add: (r) => r.add(A, 'day', '2026-01-01', 7_000, true, 2),
    totals: async (r) => {
      const totals = await r.totals(A, { day: '2026-01-01', month: '2026-01' });
      // A's own spend only (B spent 9,000,000 on the same day).
      expect(totals.day?.nanoUsd).toBeLessThan(9_000_000);
      return totals;
    },
  },
  pipelineMessages: {
    ingest: (r) =>
      r.ingest(
        A,
        [
          {
            id: 'msg-ingested',
            businessNumber: NUMBER_B,
            providerMessageId: 'WAMID-SAME',
            chatId: CHAT,
            chatKind: 'direct',
            sender: { phone: CUSTOMER, waId: CHAT, name: 'Changed' },
            text: 'x',
            providerTs: 2,
          },
        ],
        newId,
        2,
      ),
    setStatuses: (r) => r.setStatuses(A, [{ id: 'msg-b', status: 'failed', outcome: 'bot' }], 2),
    listUndecided: (r) => r.listUndecided(A),
    stillUndecided: (r) => r.stillUndecided(A, ['msg-b']).then((ids) => [...ids]),
    recordOutbound: (r) =>
      r.recordOutbound(
        A,
        {
          id: 'msg-out',
          businessNumber: NUMBER_B,
          providerMessageId: 'WAMID-OUT',
          chatId: CHAT,
          author: 'bot',
          text: 'x',
          status: 'sending',
        },
        2,
      ),
    markOutboundSent: (r) => r.markOutboundSent(A, 'msg-b', 'hijacked', 2),
    attachProviderId: (r) => r.attachProviderId(A, 'msg-b', 'hijacked', 2),
    advanceStatus: (r) => r.advanceStatus(A, NUMBER_B, 'WAMID-SAME', 'delivered', 2),
  },
  faqVersions: {
    version: async (r) => {
      // B's FAQ is newer than all of A's: A's fingerprint must not see it.
      await store.db.updateTable('faqs').set({ updated_at: 999 }).where('id', '=', 'faq-b').execute();
      const version = await r.version(A);
      await store.db.updateTable('faqs').set({ updated_at: 1 }).where('id', '=', 'faq-b').execute();
      expect(version).not.toContain('999');
      return version;
    },
  },
  unanswered: {
    record: async (r) => {
      expect((await r.record(A, 'Una get size 44??', 2))?.count).toBe(2);
      // A similar new question joins A's group, never B's.
      const similar = await r.record(A, 'una get size 44 for black?', 2);
      expect(similar?.groupKey).toBe('unq-a');
      return similar;
    },
    recordMany: async (r) => {
      const before = (await r.listGroups(A)).find((g) => g.key === 'unq-a')?.count ?? 0;
      const [again, fresh] = await r.recordMany(A, ['Una get size 44??', 'una get size 44 in red?'], 3);
      expect(again?.groupKey).toBe('unq-a');
      expect((await r.listGroups(A)).find((g) => g.key === 'unq-a')?.count).toBe(before + 2);
      expect(fresh?.groupKey).toBe('unq-a');
      return [again, fresh];
    },
    listGroups: (r) => r.listGroups(A),
    resolve: async (r) => {
      expect(await r.resolve(A, ['unq-b'])).toBe(0);
      return null;
    },
  },
  syncState: {
    get: async (r) => {
      expect((await r.get(A))?.centralWorkspaceId).toBe('cw-a');
      return r.get(A);
    },
    save: (r) =>
      r.save(
        A,
        {
          serverUrl: 'https://other.example.ng',
          centralWorkspaceId: 'cw-new',
          centralWorkspaceName: 'x',
          tokenSealed: 'v1:hijacked',
          lastAckedSeq: 0,
        },
        2,
      ),
    recordAck: async (r) => {
      expect(await r.recordAck(A, 2, 999, 3)).toBe(true);
      return null;
    },
    recordError: (r) => r.recordError(A, 2, 'hijacked', 3),
    markNeedsAttention: (r) => r.markNeedsAttention(A, 2, 'hijacked', 3),
    setShareMessageText: (r) => r.setShareMessageText(A, true, 3),
    // B's event sits in the same seq range: the read and the count see A's only.
    readEvents: async (r) => {
      const events = await r.readEvents(A, 0, Number.MAX_SAFE_INTEGER, 100);
      expect(events.map((e) => e.message)).toEqual(['evt-a']);
      return events;
    },
    countEvents: async (r) => {
      expect(await r.countEvents(A, 0, Number.MAX_SAFE_INTEGER)).toBe(1);
      return null;
    },
    textsOf: async (r) => {
      const texts = await r.textsOf(A, { messageIds: ['msg-b', 'msg-a'], outboxIds: ['out-b', 'out-a'] });
      expect([...texts.keys()].sort()).toEqual(['msg-a', 'out-a']);
      return [...texts];
    },
    remove: (r) => r.remove(A),
  },
  cloudNumbers: {
    save: async (r) => {
      expect(await r.save(A, 'pn-b', cloudInput('x'), null, 2)).toBeUndefined();
      return null;
    },
    get: async (r) => {
      expect(await r.get(A, 'pn-b')).toBeUndefined();
      return r.get(A, 'pn-a');
    },
    list: (r) => r.list(A),
    credentials: async (r) => {
      expect(await r.credentials(A, 'pn-b')).toBeUndefined();
      const own = await r.credentials(A, 'pn-a');
      expect(own?.accessToken).toBe('EAAG-token-a-0000000000000000');
      return own;
    },
    recordProfile: async (r) => {
      const profile = {
        displayPhoneNumber: null,
        verifiedName: 'hijacked',
        qualityRating: 'RED',
        checkedAt: 2,
      };
      expect(await r.recordProfile(A, 'pn-b', profile)).toBe(false);
      return null;
    },
    remove: async (r) => {
      expect(await r.remove(A, 'pn-b')).toBe(false);
      return null;
    },
    // Same wamid, B's number: a row of A's own (B's pricing row stays as it was).
    recordPricing: (r) =>
      r.recordPricing(A, { businessNumber: NUMBER_B, providerMessageId: 'WAMID-SAME', pricing: PRICING }, 2),
    pricingSummary: async (r) => {
      const own = await store.db
        .withTables<{ cloud_message_pricing: { workspace_id: string } }>()
        .selectFrom('cloud_message_pricing')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', A)
        .executeTakeFirstOrThrow();
      const summary = await r.pricingSummary(A, 0);
      expect(summary.messages).toBe(Number(own.n));
      return summary;
    },
  },
  lidMappings: {
    list: (r) => r.list(A),
    // The LID B knows, tied to another phone in A: A's row changes, B's stays.
    learn: (r) =>
      r.learn(A, NUMBER_B, [{ lid: CUSTOMER_LID, phoneJid: '2348039999999@s.whatsapp.net' }], 'message', 2),
    mergeSplitChats: (r) => r.mergeSplitChats(A, 2),
  },
  heldWebhooks: {
    // Same server key and seq as B's row: A gets a row of its own, B's stays as it was.
    hold: (r) =>
      r.hold(
        A,
        'https://central.example.ng|cw',
        { seq: 7, phoneNumberId: 'PNID-a', receivedAt: 2, notification: { marker: 'new' } },
        { messages: 1, statuses: 0 },
        2,
      ),
    summary: (r) => r.summary(A),
    next: async (r) => {
      expect(await r.next(A, 'PNID-b', 10)).toEqual([]);
      return r.next(A, 'PNID-a', 10);
    },
    remove: (r) => r.remove(A, [1, 2, 3, 4, 5, 6, 7, 8]),
  },
  chatReads: {
    // Same chat id as B's: A gets (or moves) its own marker, B's stays as it was.
    markRead: (r) => r.markRead(A, CHAT, Number.MAX_SAFE_INTEGER, 2),
    readAt: async (r) => {
      const own = await store.db
        .selectFrom('messages')
        .select((eb) => eb.fn.max('created_at').as('at'))
        .where('workspace_id', '=', A)
        .where('chat_id', '=', CHAT)
        .executeTakeFirstOrThrow();
      const readAt = await r.readAt(A, CHAT);
      expect(readAt).toBeLessThanOrEqual(Number(own.at));
      return readAt;
    },
    // Figures: each must be what A's own rows give, whatever B's hold.
    unreadOf: async (r) => {
      const own = await countOwnMessages((await r.readAt(A, CHAT)) ?? 0);
      const unread = await r.unreadOf(A);
      expect(unread.get(CHAT) ?? 0).toBe(own);
      expect((await r.unreadOf(A, [CHAT])).get(CHAT) ?? 0).toBe(own);
      return [...unread.entries()];
    },
  },
  serviceWindow: {
    lastInboundAt: async (r) => {
      expect(await r.lastInboundAt(A, NUMBER_B, '2348031234567@s.whatsapp.net')).toBeNull();
      return r.lastInboundAt(A, NUMBER_A, '2348031234567@s.whatsapp.net');
    },
  },
  // Figures are numbers, which the leak check cannot see: each must equal what A's own rows give.
  // The event log: every read takes the workspace; A's reads must carry nothing of B's rows.
  eventLog: {
    query: async (r) => {
      const page = await r.query({ workspaceId: A, search: 'evt-' });
      expect(page.events.length).toBeGreaterThan(0);
      return page;
    },
    countMatching: async (r) => {
      const n = await r.countMatching({ workspaceId: A, search: 'evt-' });
      expect(n).toBe((await r.query({ workspaceId: A, search: 'evt-' })).events.length);
      return n;
    },
    readAfter: (r) => r.readAfter(A, 0, 1_000),
    count: async (r) => {
      const n = await r.count(A);
      const own = await store.db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', A)
        .executeTakeFirstOrThrow();
      expect(n).toBe(Number(own.n));
      return n;
    },
  },
  stats: {
    activity: async (r) => {
      const own = await store.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', A)
        .where('direction', '=', 'in')
        .where('status', '!=', 'ignored')
        .executeTakeFirstOrThrow();
      const activity = await r.activity(A, 0, Number.MAX_SAFE_INTEGER);
      expect(activity.messagesIn).toBe(Number(own.n));
      return activity;
    },
    waitingHandoffs: async (r) => {
      // B's copy of the chat waits for a person; A's own may have been released by an earlier case.
      const own = await createConversationRepository(store.db).listWaiting(A);
      const waiting = await r.waitingHandoffs(A);
      expect(waiting.chats).toBe(own.length);
      return waiting;
    },
  },
  chatProfiles: {
    get: async (r) => {
      const own = await r.get(A, CHAT);
      expect(own?.notes).toBe('notes-a');
      return own;
    },
    ofChats: (r) => r.ofChats(A, [CHAT]).then((profiles) => [...profiles]),
    named: async (r) => {
      const named = await r.named(A);
      expect(named).toEqual([{ chatId: CHAT, name: 'Emeka profile-a' }]);
      return named;
    },
    // Same chat id as B's profile: A's row changes, B's stays.
    save: (r) => r.save(A, CHAT, { name: 'hijacked', notes: 'hijacked' }, 2),
  },
  inboxChats: {
    exists: async (r) => {
      expect(await r.exists(A, CHAT)).toBe(true);
      return null;
    },
    people: async (r) => {
      const people = await r.people(A, [CHAT]);
      expect(people.get(CHAT)?.contactId).toBe('ct-a');
      return [...people];
    },
    contacts: (r) => r.contacts(A),
    chatsOfContacts: async (r) => {
      expect(await r.chatsOfContacts(A, ['ct-b'])).toEqual([]);
      return r.chatsOfContacts(A, ['ct-a']);
    },
    chatsWithDigits: (r) => r.chatsWithDigits(A, CUSTOMER),
    sameCustomer: (r) => r.sameCustomer(A, CHAT),
    // Counts are numbers, which the leak check cannot see: they must be what A's own rows give.
    perNumber: async (r) => {
      const rows = await r.perNumber(A, [CHAT]);
      expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(await countOwnMessages());
      return rows;
    },
    firstSeen: (r) => r.firstSeen(A, [CHAT]),
  },
  labels: {
    list: (r) => r.list(A),
    get: async (r) => {
      expect(await r.get(A, 'lbl-vip-b')).toBeUndefined();
      return r.get(A, 'lbl-vip-a');
    },
    findByName: async (r) => {
      const own = await r.findByName(A, 'vip');
      expect(own?.id).toBe('lbl-vip-a');
      return own;
    },
    ofChats: async (r) => {
      const byChat = await r.ofChats(A, [CHAT]);
      expect(byChat.get(CHAT)).toContain('lbl-vip-a');
      return [...byChat];
    },
    chatsWith: async (r) => {
      expect(await r.chatsWith(A, 'lbl-vip-b')).toEqual([]);
      return r.chatsWith(A, 'lbl-vip-a');
    },
    // B has a label of the same name: A's new one is its own.
    create: (r) => r.create(A, { id: 'lbl-new', name: 'Wholesale', color: '#654321' }, 2),
    update: async (r) => {
      expect(await r.update(A, 'lbl-vip-b', { name: 'hijacked', color: '#000000' }, 2)).toBe(false);
      return null;
    },
    // Same chat id as B's labelled chat: replacing A's labels (ids checked by the caller) leaves B's.
    setForChat: async (r) => {
      await r.setForChat(A, CHAT, ['lbl-new'], 2);
      expect((await r.ofChats(A, [CHAT])).get(CHAT)).toEqual(['lbl-new']);
      return null;
    },
    delete: async (r) => {
      expect(await r.delete(A, 'lbl-vip-b')).toBe(false);
      return null;
    },
  },
  learning: {
    // B's copy of the chat also has a handed-over question answered by hand: A is offered its own.
    lastAnsweredByHand: async (r) => {
      const offered = await r.lastAnsweredByHand(A, CHAT);
      expect(offered).toEqual({
        id: 'msg-a',
        text: 'Una dey open?',
        ownerAnswer: 'Yes we open 9-5 (owner-a)',
      });
      return offered;
    },
    since: async (r) => {
      const learned = await r.since(A, 0);
      expect(learned.map((l) => l.text)).toEqual(['learned text a']);
      return learned;
    },
    // The FAQ is A's own (the caller checks that); B's row for the same chat stays as it was.
    record: (r) => r.record(A, [{ faqId: 'faq-a', kind: 'faq', text: 'Una get size 44??', chatId: CHAT }], 2),
    waitingAskers: async (r) => {
      expect(await r.waitingAskers(A, ['unq-b'], 'faq-b')).toEqual([]);
      return r.waitingAskers(A, ['unq-a', 'unq-b'], 'faq-a');
    },
    // B claimed the same (FAQ id, chat) pair: A's claim is its own and succeeds.
    claimSend: async (r) => {
      const asker = { chatId: CHAT, businessNumber: NUMBER_B, messageId: 'msg-a' };
      expect(await r.claimSend(A, 'faq-b', asker, 'out-new', 2)).toBe(true);
      return null;
    },
  },
  messageSearch: {
    // Both workspaces hold the same words: A finds its own message and never B's.
    search: async (r) => {
      const hits = await r.search(A, 'dey open');
      expect(hits.map((h) => h.id)).toContain('msg-a');
      return hits;
    },
    scanLike: async (r) => {
      const ids = await r.scanLike(A, 'dey open');
      expect(ids).toContain('msg-a');
      return ids;
    },
  },
  savedReplies: {
    list: async (r) => {
      const replies = await r.list(A);
      expect(replies.map((reply) => reply.id)).toContain('sr-a');
      return replies;
    },
    create: (r) => r.create(A, { id: 'sr-new', title: 'Price list', text: 'x' }, 2),
    update: async (r) => {
      expect(await r.update(A, 'sr-b', { title: 'hijacked', text: 'hijacked' }, 2)).toBeUndefined();
      return null;
    },
    delete: async (r) => {
      expect(await r.delete(A, 'sr-b')).toBe(false);
      return null;
    },
  },
};

beforeAll(async () => {
  ({ store, cleanup } = await openTempStore());
  const keyDir = makeTempDir('switchboard-isolation-key-');
  box = createFileKeySecretBox({ keyPath: join(keyDir.dir, 'secrets.key') });
  const closeStore = cleanup;
  cleanup = async () => {
    await closeStore();
    keyDir.cleanup();
  };
  await seed(A, 'a', NUMBER_A);
  await seed(B, 'b', NUMBER_B);
  // B's default labels (seeded with random ids when the workspace is made) count as B's too.
  for (const label of await repos().labels.list(B)) B_IDS.push(label.id);
});
afterAll(() => cleanup());

describe('workspace isolation', () => {
  it('has a case for every function of every workspace-scoped repository', () => {
    const r = repos();
    for (const name of Object.keys(CASES) as (keyof Repos)[]) {
      const covered = [...Object.keys(CASES[name]), ...Object.keys(MACHINE_WIDE[name] ?? {})];
      expect(Object.keys(r[name]).sort(), name).toEqual(covered.sort());
    }
  });

  it('covers every repository the core defines: a new one without cases fails here', () => {
    const known = new Set([...FACTORY_NAMES, ...Object.keys(NOT_SCOPED)]);
    expect(storeFactoriesInCore().filter((name) => !known.has(name))).toEqual([]);
    expect(Object.keys(repos()).length).toBe(FACTORY_NAMES.length);
  });

  for (const repoName of Object.keys(CASES) as (keyof Repos)[]) {
    for (const fnName of Object.keys(CASES[repoName])) {
      it(`${repoName}.${fnName} called for workspace A neither reads nor changes workspace B`, async () => {
        const before = await snapshotB();
        const call = (CASES[repoName] as Record<string, (repo: unknown) => Promise<unknown>>)[fnName]!;
        const result = await call(repos()[repoName]);
        expectNothingOfB(result);
        expect(await snapshotB()).toEqual(before);
      });
    }
  }

  it('workspace A sees its own copy of the shared data', async () => {
    const r = repos();
    expect((await r.contacts.findByPhone(A, CUSTOMER))?.id).toBe('ct-a');
    expect((await r.faqs.get(A, 'faq-a'))?.phrasings).toEqual(['una dey open', 'are you open']);
    expect(await r.waAuth.getKeys(A, 'pn-a', 'pre-key', ['1'])).toEqual({ '1': 'key-a' });
  });

  it('deleting workspace A removes all of its rows and none of B', async () => {
    const before = await snapshotB();
    await store.transaction((trx) => createWorkspaceRepository(trx).delete(A));
    expect(await snapshotB()).toEqual(before);
    // Every table with a workspace_id column, read from the schema: a new table cannot be missed.
    const left = await store.exclusive((s) => {
      const tables = workspaceTables(s);
      return Object.fromEntries(
        tables.map((t) => [
          t,
          (s.prepare(`select count(*) as n from ${t} where workspace_id = ?`).get(A) as { n: number }).n,
        ]),
      );
    });
    expect(Object.keys(left)).toEqual(
      expect.arrayContaining(['messages', 'events', 'ai_spend', 'wa_auth_keys']),
    );
    expect(
      Object.values(left).every((n) => n === 0),
      JSON.stringify(left),
    ).toBe(true);
  });
});
