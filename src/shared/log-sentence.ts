import { describeWaiting } from './escalation-words';
import { formatPhone } from './format-phone';

/**
 * The Activity log in the owner's words: one plain sentence per event, with the customer's name or
 * formatted number instead of a chat id ("Answered Tunde Bakare's question with the FAQ “Do you
 * deliver?”"). Codes and JSON stay in the event for "Details". Pure and shared: the Logs screen shows
 * it and the core's export writes the same sentence into the file.
 */

/** Who an event is about, as the core resolved it from the chat id in its meta. */
export interface LogPerson {
  name: string | null;
  /** E.164. */
  phone: string | null;
}

export interface SentenceEvent {
  type: string;
  message: string;
  meta: Record<string, unknown> | null;
  /** The customer of the chat the event names, when the core knows them. */
  person?: LogPerson | null;
  /** The question of the FAQ the event names (meta.faqId), when it still exists. */
  faq?: string | null;
}

type Meta = Record<string, unknown>;
/** Builds the sentence from what an event type carries; the helpers name people and numbers. */
type Sentence = (meta: Meta, say: Say) => string;

interface Say {
  /** The customer: "Tunde Bakare", "+234 806 666 5555", else "a customer". */
  who: string;
  /** "Tunde Bakare's", "+234 806 666 5555's", "a customer's". */
  whose: string;
  /** A business number from meta.number / meta.e164, formatted; "" when none. */
  number: string;
  /** The FAQ's question, quoted; "" when unknown. */
  faq: string;
  /** The stored message with chat ids and numbers made readable. */
  message: string;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Why a chat went to a person, after "Handed X's chat to you:": "asked to talk to a person". A reason
 * without its detail ("handoff-bot") still reads as words.
 */
function why(reason: string): string {
  const code = reason.replace(/\+again$/, '');
  const text = describeWaiting(code.includes(':') ? code : `${code}:`);
  if (text === code || text === `${code}:` || /\(""\)$/.test(text)) {
    if (code.startsWith('handoff-keyword')) return 'asked for a person';
    if (code.startsWith('handoff-bot')) return 'no FAQ answered the question';
    return 'it needs a person';
  }
  return text.replace(/^they /, '').replace(/^their /, 'the ');
}

/** What the bot did with a customer's message (message.decided), by the decision's reason code. */
function decided(meta: Meta, say: Say): string {
  // "greeting+faq-answer", "away+bot-abstained-low-confidence": the prefixes are replies sent first.
  const reason = str(meta.reason);
  if (reason === '') return say.message;
  const parts = reason.split('+');
  const main = parts.at(-1) ?? '';
  const greeted = parts.includes('greeting') ? ' (and greeted them)' : '';
  if (main === 'faq-answer')
    return say.faq !== ''
      ? `Answered ${say.whose} question with the FAQ ${say.faq}${greeted}`
      : `Answered ${say.whose} question from your FAQs${greeted}`;
  if (main === 'ai-answer') return `The AI answered ${say.whose} question${greeted}`;
  if (main.startsWith('handoff-active'))
    return `${say.who} wrote again; the chat is with you, so the bot stayed quiet`;
  if (main.startsWith('owner-paused'))
    return `${say.who} wrote while you were answering; the bot stayed quiet`;
  if (main === 'handoff-window-closed' || main === 'window-closed')
    return `${say.who}'s message came more than 24 hours late; only an approved template can answer it`;
  if (main.startsWith('handoff')) return `Read ${say.whose} message: it needs a person (${why(main)})`;
  if (main.startsWith('small-talk'))
    return parts.length > 1
      ? `Greeted ${say.who} back`
      : `${say.who} only said hello or thanks; nothing to answer`;
  if (main.startsWith('bot-abstained'))
    return `No FAQ answered ${say.whose} question; it is waiting in Unanswered`;
  if (main === 'flood-guard-repeat') return `${say.who} sent the same message again; not answered twice`;
  if (main.startsWith('ignored-group'))
    return 'Left a group chat message alone (the bot answers only direct chats)';
  if (main.startsWith('ignored')) return 'Left a status update or broadcast alone';
  if (main === 'undecryptable') return `A message from ${say.who} could not be read (WhatsApp encryption)`;
  if (main === 'no-text-media') return `${say.who} sent a photo or file; it is waiting for you`;
  if (main.startsWith('no-text')) return `${say.who} sent something the bot cannot read`;
  if (main === 'empty') return `${say.who} sent an empty message`;
  return `Looked at ${say.whose} message; no reply was needed`;
}

/** A reply that went out (message.sent), by what kind of reply it was. */
function sent(meta: Meta, say: Say): string {
  switch (str(meta.kind)) {
    case 'faq':
      return `Sent ${say.who} the FAQ answer`;
    case 'ai':
      return `Sent ${say.who} the AI's answer`;
    case 'handoff':
      return `Told ${say.who} that a person will reply`;
    case 'greeting':
      return `Greeted ${say.who}`;
    case 'away':
      return `Told ${say.who} the shop is closed and when it opens`;
    case 'owner':
      return `Your reply to ${say.who} was sent`;
    case 'template':
      return `Sent ${say.who} an approved template message`;
    default:
      return `Sent a reply to ${say.who}`;
  }
}

const STATUS_WORDS: Record<string, string> = {
  connected: 'is connected and receiving messages',
  connecting: 'is connecting to WhatsApp',
  reconnecting: 'lost its connection; trying again',
  pairing: 'is waiting for its QR code to be scanned',
  unpaired: 'is not linked yet',
  'needs-attention': 'needs your attention: it could not stay connected',
  'logged-out': 'was logged out of WhatsApp; link it again',
  'wrong-phone': 'was scanned with another number’s phone; scan again with this number’s phone',
  replaced: 'was opened in another WhatsApp Web session',
  banned: 'was blocked by WhatsApp',
  'update-required': 'needs a newer Switchboard',
  disabled: 'is switched off',
};

function status(meta: Meta, say: Say): string {
  const to = str(meta.to);
  const reason = str(meta.reason);
  const number = say.number !== '' ? say.number : 'The number';
  // WhatsApp always closes the first connection after a scan with code 515 and expects a new one.
  if (num(meta.code) === 515 && to === 'connecting')
    return `${number} linked; WhatsApp restarts the connection once after linking, as it always does`;
  if (to === 'connecting' && /connect requested/.test(reason)) return `${number} is connecting to WhatsApp`;
  return `${number} ${STATUS_WORDS[to] ?? `is now ${to}`}`;
}

const FAQ_QUOTED = /"([^"]*)"/;

/** One sentence per event type the core logs (test/tooling/log-sentences.test.ts keeps this complete). */
export const SENTENCES: Readonly<Record<string, Sentence>> = {
  // Customers' messages and the bot's decisions
  'message.received': (m, s) =>
    `${s.who} wrote${str(m.kind) !== '' && str(m.kind) !== 'text' ? ' (a photo, voice note or file)' : ''}${m.offline === true ? ' while this computer was offline' : ''}`,
  'message.decided': decided,
  'message.sent': sent,
  'message.failed': (m, s) =>
    str(m.kind) === 'owner' || /owner/.test(s.message)
      ? `Your reply to ${s.who} could not be sent`
      : `A reply to ${s.who} could not be sent; the chat is waiting for you`,
  'message.ack': (m, s) =>
    str(m.status) === 'read'
      ? `${s.who} read your message`
      : str(m.status) === 'failed'
        ? `WhatsApp could not deliver a message to ${s.who}`
        : `${s.who} received your message`,
  'message.routed': (_m, s) => `A message to ${s.number || 'a number'} came in`,
  'message.skipped': () => 'Skipped a WhatsApp system message (nothing for you)',
  'message.deduplicated': () => 'WhatsApp delivered a message twice; kept it once',
  'message.recovered': (m) =>
    `Stored ${plural(num(m.count) ?? 1, 'message')} that arrived just before Switchboard last stopped`,
  'message.slow': (_m, s) => `A message from ${s.who} took long to read; later messages did not wait for it`,
  'message.early_failed': () => 'Read a message from its second copy (the first could not be read early)',
  'message.unroutable': (_m, s) =>
    `A message to ${s.number || 'a number'} was kept aside: no business here owns that number`,
  'route.decided': (_m, s) => `A message to ${s.number || 'a number'} came in`,
  'handoff.requested': (m, s) =>
    m.again === true
      ? `${s.who} is still waiting for you: ${why(str(m.reason))}`
      : `Handed ${s.whose} chat to you: ${why(str(m.reason))}`,
  'handoff.released': (_m, s) => `Gave ${s.whose} chat back to the bot`,
  'handoff.taken_over': (_m, s) => `You took over ${s.whose} chat; the bot keeps out until you give it back`,
  'bot.paused': (m, s) =>
    /owner replied/i.test(s.message)
      ? `You replied to ${s.who}, so the bot keeps out of the chat for ${num(m.minutes) ?? '?'} min`
      : `Paused the bot in ${s.whose} chat for ${num(m.minutes) ?? '?'} min; you answer it`,
  'bot.unanswered': (m, s) =>
    `No FAQ answers ${s.whose} question; it is in Unanswered${(num(m.count) ?? 1) > 1 ? ` (asked ${num(m.count)} times)` : ''}`,
  'bot.unanswered_failed': () => 'Could not save a question to Unanswered',
  'bot.unanswered_resolved': (m) =>
    `${plural(num(m.resolved) ?? 1, 'unanswered question')} ${str(m.action) === 'dismiss' ? 'dismissed' : 'added to an FAQ'}`,
  'owner.echo': (_m, s) => `Saw your reply to ${s.who} from the phone`,
  'outbox.queued': (_m, s) => `Queued a reply to ${s.who}`,
  'outbox.cancelled': (_m, s) => `Dropped the bot's waiting reply to ${s.who}: you answered yourself`,
  'outbox.stale': (_m, s) => `A reply to ${s.who} waited too long and was not sent; the chat is with you`,
  'outbox.list_refused': (_m, s) =>
    `WhatsApp would not take the list of choices for ${s.who}; sent the numbered question instead`,
  'outbox.waiting': (_m, s) => `Replies wait: ${s.number || 'the number'} is not connected`,
  'outbox.reconciling': () => 'Checking which replies went out before the last stop',
  'pipeline.stop': () => 'Stopped answering messages (Switchboard is closing)',
  'journal.failed': () => 'Could not note an incoming message safely; WhatsApp will deliver it again',
  // Numbers and connections
  'number.added': (_m, s) => `Added the number ${s.number}`,
  'number.removed': (_m, s) => `Removed the number ${s.number}`,
  'number.status': status,
  'connection.changed': status,
  'connection.alert': (_m, s) =>
    `${s.number || 'A number'} needs attention: ${s.message.replace(/^[^:]*:\s*/, '')}`,
  'connection.opened': (_m, s) => `${s.number || 'The number'} connected`,
  'connection.closed': (_m, s) => `${s.number || 'The number'} disconnected`,
  'connection.qr': (_m, s) => `Showing a QR code to link ${s.number || 'the number'}`,
  'connection.reconnect': (_m, s) => `Reconnecting ${s.number || 'the number'}`,
  'connection.liveness': (_m, s) => `${s.number || 'The number'} stopped answering; reconnecting`,
  'connection.stable': (_m, s) => `${s.number || 'The number'} has stayed connected`,
  'connection.watchdog': (_m, s) => `${s.number || 'The number'} took too long to connect; trying again`,
  'connection.wrong_phone': () => 'The QR code was scanned with another number’s phone; unlinked it',
  'lid.learnt': () => 'Learnt which WhatsApp ids belong to which phone numbers',
  'lid.chats_merged': () => 'Joined chats of the same customer that WhatsApp had split in two',
  'lid.store_failed': () => 'Could not save which WhatsApp ids belong to which phone numbers',
  'baileys.notice': (m, s) =>
    /stream errored out/i.test(s.message) && JSON.stringify(m).includes('"515"')
      ? 'WhatsApp restarted the connection once after linking, as it always does'
      : `WhatsApp library note: ${s.message}`,
  'baileys.error': (_m, s) => `WhatsApp library problem: ${s.message}`,
  'baileys.warn': (_m, s) => `WhatsApp library notice: ${s.message}`,
  'baileys.debug': (_m, s) => `WhatsApp library: ${s.message}`,
  'baileys.cache_timers': () => 'WhatsApp library check (for developers)',
  'whatsapp.library_console': (_m, s) => `WhatsApp library: ${s.message}`,
  // The business, FAQs and AI
  'workspace.created': (_m, s) => `Created the business${quoted(s.message)}`,
  'workspace.updated': (m) =>
    Array.isArray(m.changed) && m.changed.length > 0
      ? `Changed the settings: ${listOf(m.changed.map((c) => SETTING_WORDS[String(c)] ?? String(c)))}`
      : 'Changed the settings',
  'workspace.deleted': (_m, s) => `Deleted the business${quoted(s.message)}`,
  // The event names the FAQ by id (its words may be a customer's); the log's lookup gives its question.
  'faq.created': (_m, s) => `Added the FAQ${faqNamed(s)}`,
  'faq.updated': (_m, s) => `Changed the FAQ${faqNamed(s)}`,
  'faq.deleted': (_m, s) => `Deleted the FAQ${faqNamed(s)}`,
  'faq.imported': (m) =>
    `Imported FAQs from a file${num(m.created) !== null ? `: ${num(m.created)} added, ${num(m.updated) ?? 0} changed` : ''}`,
  'faq.index_built': () => 'Got the FAQs ready for answering',
  'ai.answered': (_m, s) => `The AI wrote an answer for ${s.who}`,
  'ai.failed': () => 'Asking the AI failed; the bot decided without it',
  'ai.provider_failed': () => 'The AI service did not answer',
  'ai.budget_exhausted': (m) =>
    `The AI's ${str(m.period) || ''} budget is used up; the bot answers from FAQs only`.replace('  ', ' '),
  'ai.not_configured': () => 'The AI is switched on but has no service set up',
  'ai.key_unreadable': () => 'The AI key could not be read on this computer; enter it again',
  'ai.provider_saved': () => 'Saved the AI service settings',
  'ai.provider_removed': () => 'Removed the AI service',
  'ai.spend_write_failed': () => 'Could not record what the AI cost',
  'ai.test_failed': () => 'The AI service test failed',
  'ai.tested': () => 'The AI service test worked',
  'ai.unknown_model': () => 'The AI model has no known price; its cost is estimated',
  'ai.circuit_opened': (m) =>
    `An AI service kept failing; it rests${str(m.until) ? ` until ${str(m.until)}` : ' for a while'} and the others answer`,
  'ai.circuit_closed': () => 'An AI service is answering again',
  'ai.fell_back': (_m, s) => `The first AI service could not answer ${s.whose} question; another one did`,
  // Learning and the clarifying question
  'bot.answer_sent': (_m, s) =>
    `Sent ${s.who} the answer of the FAQ${s.faq !== '' ? ` ${s.faq}` : ''} they asked about`,
  'bot.learned': (_m, s) => `The bot learned a new way to ask${s.faq !== '' ? ` ${s.faq}` : ' an FAQ'}`,
  'clarify.dropped': (_m, s) => `${s.who} did not pick an answer; the chat goes to you`,
  'clarify.timed_out': (_m, s) => `${s.who} did not answer the bot's question in time; the chat goes to you`,
  // Photos, voice notes and documents
  'media.stored': (_m, s) => `Saved a file ${s.who} sent`,
  'media.failed': (_m, s) => `Could not download a file ${s.who} sent; you can try again from the chat`,
  'media.opened': () => 'Opened a document on this computer',
  'media.queued': (_m, s) => `You sent ${s.who} a file; it goes out in turn`,
  'faq.attached': (_m, s) =>
    `Attached a photo or document to the answer${s.faq !== '' ? ` of ${s.faq}` : ''}`,
  'media.pruned': (m) =>
    `Removed ${plural(num(m.files) ?? num(m.count) ?? 0, 'old file')} past the media retention`,
  'message.retried': (_m, s) => `Sending a failed message to ${s.who} again`,
  // Backups and this computer
  'backup.written': () => 'Made a backup and checked it',
  'backup.failed': () => 'A backup failed; the last good one is kept',
  'backup.configured': () => 'Changed the backup settings',
  'backup.unreadable': () => 'A backup file could not be read (damaged, or another passphrase)',
  'backup.restore_staged': () => 'A restore is ready; it takes place at the next start',
  'backup.restored': () => 'Restored a backup; the data it replaced is kept beside it',
  'backup.moved_away': () => 'Moved to another computer: this one no longer connects',
  'backup.secrets_not_portable': () =>
    'Some saved keys open only on this computer: the backup restores them here, not on another PC',
  'whatsapp.keys_sealed': (m) => `Locked ${plural(num(m.rows) ?? 0, 'stored WhatsApp key')} on this computer`,
  // The official WhatsApp Cloud API
  'cloud.connected': (_m, s) => `${s.number || 'The official number'} is connected through the Cloud API`,
  'cloud.check_failed': () => 'Checking the official number with Meta failed',
  'cloud.health': () => 'Checked the official number with Meta',
  'cloud.pricing_failed': () => 'Could not read Meta’s message prices',
  'cloud.sent': (_m, s) => `Sent a message to ${s.who} through the Cloud API`,
  'cloud.template_sent': (_m, s) => `Sent ${s.who} an approved template message`,
  'cloud.typing_skipped': () => 'Did not show “typing…” (the Cloud API could not)',
  'cloud.token_unreadable': () => 'The Cloud API token could not be read on this computer; enter it again',
  'cloud.webhook': () => 'Meta delivered messages to this computer',
  'cloud.webhook_skipped': () => 'Ignored a delivery from Meta that had nothing for this business',
  'cloud.webhook_verified': () => 'Meta confirmed the message address (webhook)',
  'cloud.webhook_refused': () => 'Refused a request that did not come from Meta',
  'cloud.webhook_verify_refused': () => 'Refused a webhook check that did not come from Meta',
  'cloud.webhook_secret_unreadable': () => 'The Cloud API app secret could not be read; enter it again',
  'cloud.webhook_unroutable': () => 'Meta delivered a message for a number no business here owns',
  'cloud.relay_failed': () => 'The message relay could not be reached; trying again',
  'cloud.relay_held': () => 'The message relay holds messages until this computer is back',
  'cloud.relay_refused': () => 'The message relay refused this computer',
  'cloud.relay_released': () => 'The message relay handed over waiting messages',
  'cloud.relay_retry': () => 'Trying the message relay again',
  'cloud.relay_skipped': () => 'Skipped a relayed message that was not for this business',
  'cloud.relay_token': () => 'Got a new key for the message relay',
  'cloud.relay_unroutable': () => 'The relay had a message for a number no business here owns',
  'cloud.relay_unroutable_unkept': () =>
    'The relay had a message for an unknown number and could not keep it',
  // This computer: database, log, central sync
  'store.opened': () => 'Opened the database',
  'store.backup': () => 'Backed up the database',
  'store.restore': () => 'Restored the database from a backup',
  'store.permissions_set': () => 'Made new data files private to this computer’s user',
  'store.permissions_repaired': () => 'Made data files private to this computer’s user again',
  'store.permissions_unchecked': () => 'Could not check that the data files are private',
  'log.retention': (m) =>
    (num(m.deleted) ?? 0) > 0
      ? `Removed ${plural(num(m.deleted)!, 'old log entry', 'old log entries')}`
      : 'Checked for old log entries to remove',
  'log.dropped': () => 'Some log entries could not be written',
  'log.invalid_entry': () => 'A log entry could not be written',
  'host.started': () => 'Switchboard started in the browser',
  'sync.enrolled': () => 'Joined central sync',
  'sync.enroll_failed': () => 'Joining central sync failed',
  'sync.insecure_enroll': () => 'Joined central sync over an unencrypted connection',
  'sync.left': () => 'Left central sync',
  'sync.settings': () => 'Changed the central sync settings',
  'sync.started': () => 'Started sending the log to the central server',
  'sync.pushed': () => 'Sent log entries to the central server',
  'sync.caught_up': () => 'The central server has every log entry',
  'sync.failed': () => 'Sending the log to the central server failed; trying again',
  'sync.recovered': () => 'Sending the log to the central server works again',
  'sync.retry_after': () => 'The central server asked to wait before sending more',
  'sync.batch_shrunk': () => 'Sending smaller batches to the central server',
  'sync.event_withheld': () => 'Kept one log entry back from the central server (too large)',
  'sync.ack_anomaly': () => 'The central server answered unexpectedly; checking',
  'sync.needs_attention': () => 'Central sync needs attention',
  'sync.backlog_dropped': () => 'Old log entries were dropped before reaching the central server',
  error: (_m, s) => `Something went wrong: ${s.message}`,
  perf: (_m, s) => `Timing: ${s.message}`,
};

const SETTING_WORDS: Record<string, string> = {
  name: 'name',
  botMode: 'how the bot answers',
  faq: 'FAQ answering',
  handoff: 'hand-offs',
  greeting: 'greeting',
  away: 'away message',
  hours: 'opening hours',
  timezone: 'time zone',
  pacing: 'reply pacing',
  floodGuard: 'repeat guard',
  notifications: 'notifications',
  ai: 'AI',
};

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** ' “Do you deliver?”' from a message that quotes it, else ''. */
function faqNamed(s: { faq: string; message: string }): string {
  return s.faq !== '' ? ` ${s.faq}` : quoted(s.message);
}

function quoted(message: string): string {
  const match = FAQ_QUOTED.exec(message);
  return match === null ? '' : ` “${match[1]}”`;
}

/** A chat id or number in the core's own words, made readable. */
export function readableIds(text: string, person?: LogPerson | null, chatId?: string): string {
  return text
    .replace(/\b(\d{6,15})(?::\d+)?@(?:s\.whatsapp\.net|c\.us)\b/g, (id, digits: string) =>
      chatId !== undefined && id === chatId && person?.name ? person.name : formatPhone(`+${digits}`),
    )
    .replace(/\b\d{6,20}@lid\b/g, (id) =>
      chatId !== undefined && id === chatId && person?.name ? person.name : 'a customer',
    )
    .replace(/\b\d{6,20}@g\.us\b/g, 'a group chat')
    .replace(/\+\d{6,15}\b/g, (e164) => formatPhone(e164));
}

function customer(event: SentenceEvent, chatId: string): { who: string; whose: string } {
  const person = event.person;
  let who = 'a customer';
  if (person?.name != null && person.name.trim() !== '') who = person.name.trim();
  else if (person?.phone != null) who = formatPhone(person.phone);
  else {
    const digits = /^(\d{6,15})(?::\d+)?@(?:s\.whatsapp\.net|c\.us)$/.exec(chatId);
    if (digits !== null) who = formatPhone(`+${digits[1]}`);
  }
  return { who, whose: who.endsWith('s') ? `${who}’` : `${who}’s` };
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The event as one plain sentence; an event type without one gets its own message, made readable. */
export function logSentence(event: SentenceEvent): string {
  const meta = event.meta ?? {};
  const chatId = str(meta.chatId) || str(meta.chat);
  const { who, whose } = customer(event, chatId);
  const businessNumber = str(meta.number) || str(meta.e164) || str(meta.businessNumber);
  const say: Say = {
    who,
    whose,
    number: businessNumber === '' ? '' : formatPhone(businessNumber),
    faq: event.faq != null && event.faq !== '' ? `“${event.faq}”` : '',
    message: readableIds(event.message, event.person, chatId),
  };
  const make = SENTENCES[event.type];
  const sentence = make === undefined ? say.message : make(meta, say);
  return capitalise(sentence.trim() === '' ? `Something happened (${event.type})` : sentence.trim());
}
