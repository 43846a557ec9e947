// Message traffic in both directions: simulated senders -> the business's companion (queued while it is
// offline, flushed after login, redelivered if a socket dies before the client's receipt), and the
// companion's own stanzas (messages, receipts, chat states) -> simulated customers.
import { createCipheriv, randomBytes } from 'node:crypto';
import { encodeWAMessage, proto, unpadRandomMax16 } from '@whiskeysockets/baileys';
import { takeDeviceBundle, type Account, type CompanionDevice, type PendingDelivery } from './accounts';
import type { ClientConnection } from './connection';
import { textOfMessage, type ContactImpl } from './contact';
import { receiveMedia } from './contact-media';
import { hkdf } from './keys';
import type { MediaHost } from './media-host';
import {
  bytesOf,
  childOf,
  childrenNamed,
  childrenOf,
  makeNode,
  splitJid,
  unixNow,
  type WANode,
} from './frames';
import { historySyncDelivery } from './history-sync';

/** The customer's phone confirms delivery a moment after the message, as over a real network. */
const DELIVERY_RECEIPT_DELAY_MS = 50;
/** A phone asks the sender to re-encrypt a message it cannot decrypt this many times, then gives up. */
const MAX_RETRY_REQUESTS = 3;

export interface MessageTrafficDeps {
  connections(): Iterable<ClientConnection>;
  contactByUser(user: string): ContactImpl | undefined;
  /** Every customer the server knows: the business phone's history (see history-sync.ts). */
  contacts(): Iterable<ContactImpl>;
  mediaHost: MediaHost;
  log(line: string): void;
}

export class MessageTraffic {
  /** Ids of messages to a business that its client confirmed, for tests of when that happens. */
  private readonly confirmedIds = new Set<string>();
  /** Retry receipts a customer's phone sent per message it could not decrypt. */
  private readonly retryRequests = new Map<string, number>();

  constructor(private readonly deps: MessageTrafficDeps) {}

  confirmed(id: string): boolean {
    return this.confirmedIds.has(id);
  }

  /** Delivers at once if the business has a ready socket, else queues for its next login. */
  submit(account: Account, item: PendingDelivery): Promise<void> {
    return this.inAccount(account, async () => {
      const conn = this.readyConnection(account);
      if (conn) {
        await this.deliver(conn, item);
        return;
      }
      item.offline = true;
      account.outbox.push(item);
      this.deps.log(`${item.sender.label} -> ${account.digits}: queued ${item.id} (no live socket)`);
    });
  }

  /** After <success>: the offline backlog (offline="1"), then <ib><offline count/>, then live traffic. */
  loggedIn(conn: ClientConnection, account: Account, device: CompanionDevice): void {
    void this.inAccount(account, async () => {
      const backlog = account.outbox.splice(0);
      let delivered = 0;
      for (const [index, item] of backlog.entries()) {
        if (!conn.deliverable) {
          account.outbox.unshift(...backlog.slice(index));
          return;
        }
        item.offline = true;
        if (await this.deliverOrDrop(conn, item)) delivered++;
      }
      if (!conn.deliverable) return;
      conn.send(makeNode('ib', { from: 's.whatsapp.net' }, [makeNode('offline', { count: delivered })]));
      conn.ready = true;
      if (!device.historySynced)
        await this.deliverOrDrop(conn, historySyncDelivery(account, device, [...this.deps.contacts()]));
    }).catch((err: unknown) => this.deps.log(`${conn.label} offline flush failed: ${String(err)}`));
  }

  /**
   * A socket that is going away (closed, replaced, silenced): messages it never confirmed go back to
   * the front of the queue, and to another ready socket of the same account if there is one.
   */
  retire(conn: ClientConnection): void {
    const account = conn.account;
    conn.ready = false;
    if (!account) return;
    void this.inAccount(account, async () => {
      const unconfirmed = [...conn.inFlight.values()].filter((item) => !item.transient);
      conn.inFlight.clear();
      for (const item of unconfirmed) item.offline = true;
      account.outbox.unshift(...unconfirmed);
      const next = this.readyConnection(account);
      if (!next) return;
      for (const item of account.outbox.splice(0)) await this.deliverOrDrop(next, item);
    });
  }

  // --- from the business -------------------------------------------------------------------------

  async onMessage(conn: ClientConnection, node: WANode): Promise<void> {
    const { id, to } = node.attrs;
    const nack = this.contactForJid(to)?.takeSendFault('nack');
    if (nack !== undefined) {
      // Refused by the server (a test asked for it): an error ack, and the message goes nowhere.
      this.deps.log(`${conn.label} message ${id} to ${to} refused with error ${nack}`);
      conn.send(makeNode('ack', { class: 'message', id, from: to, t: unixNow(), error: String(nack) }));
      return;
    }
    conn.send(makeNode('ack', { class: 'message', id, from: to, t: unixNow() }));
    const account = conn.account;
    const device = conn.device;
    if (!id || !to || !account || !device) return;
    const targets: { jid: string; enc: WANode }[] = [];
    for (const recipient of childrenNamed(childOf(node, 'participants'), 'to')) {
      const enc = childOf(recipient, 'enc');
      if (recipient.attrs.jid && enc) targets.push({ jid: recipient.attrs.jid, enc });
    }
    // Peer messages (to the account's own phone) and retry resends carry <enc> directly.
    for (const enc of childrenNamed(node, 'enc')) targets.push({ jid: to, enc });
    for (const { jid, enc } of targets) {
      await this.fromBusiness(conn, account, device, { id, chat: to, jid, enc });
    }
  }

  onReceipt(conn: ClientConnection, node: WANode): void {
    const ids = [
      node.attrs.id,
      ...childrenNamed(childOf(node, 'list'), 'item').map((i) => i.attrs.id),
    ].filter((id): id is string => !!id);
    conn.send(
      makeNode('ack', { class: 'receipt', id: node.attrs.id, from: node.attrs.to, type: node.attrs.type }),
    );
    for (const id of ids) this.confirm(conn, id);
    const type = node.attrs.type;
    if (type === 'read' || type === 'read-self') {
      this.contactForJid(node.attrs.to)?.readReceipts.push(...ids);
    } else if (type === 'retry') {
      this.deps.log(`${conn.label} asked for a retry of ${node.attrs.id} (not simulated)`);
    } else if (type === 'server-error') {
      this.reuploadMedia(conn, node);
    }
  }

  onAck(conn: ClientConnection, node: WANode): void {
    // A nack (ack class=message with an error) means the client gave up on it: do not redeliver.
    if (node.attrs.class === 'message' && node.attrs.id) this.confirm(conn, node.attrs.id);
  }

  onChatState(node: WANode): void {
    const state = childrenOf(node)[0]?.tag;
    if (state) this.contactForJid(node.attrs.to)?.presence.push(state);
  }

  /**
   * The business's client could not download a customer's file (its link expired) and asks the
   * customer's phone to upload it again (Baileys' updateMediaMessage): a `server-error` receipt naming
   * the message. The phone uploads the file it kept and answers with a `mediaretry` notification
   * whose new direct path is sealed with a key derived from the message's media key.
   */
  private reuploadMedia(conn: ClientConnection, node: WANode): void {
    const id = node.attrs.id;
    const rmr = childOf(node, 'rmr');
    const chat = rmr?.attrs.jid;
    const sent = id ? this.contactForJid(chat)?.sentFiles.get(id) : undefined;
    const attrs = { from: node.attrs.to ?? 's.whatsapp.net', type: 'mediaretry', id, t: unixNow() };
    const rmrNode = makeNode('rmr', { jid: chat, from_me: 'false' });
    if (!id || !sent) {
      this.deps.log(`${conn.label} asked to re-upload ${id ?? '?'}: no such file (not found)`);
      const notFound = proto.MediaRetryNotification.ResultType.NOT_FOUND;
      conn.send(makeNode('notification', attrs, [rmrNode, makeNode('error', { code: notFound })]));
      return;
    }
    const hosted = this.deps.mediaHost.put(sent.file);
    sent.directPath = hosted.directPath;
    const payload = proto.MediaRetryNotification.encode({
      stanzaId: id,
      directPath: hosted.directPath,
      result: proto.MediaRetryNotification.ResultType.SUCCESS,
    }).finish();
    const key = hkdf(sent.mediaKey, 32, Buffer.alloc(0), 'WhatsApp Media Retry Notification');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(id));
    const sealed = Buffer.concat([cipher.update(payload), cipher.final(), cipher.getAuthTag()]);
    this.deps.log(`${conn.label}: the phone uploaded ${id} again -> ${hosted.directPath}`);
    conn.send(
      makeNode('notification', attrs, [
        makeNode('encrypt', {}, [makeNode('enc_p', {}, sealed), makeNode('enc_iv', {}, iv)]),
        rmrNode,
      ]),
    );
  }

  // --- internals ---------------------------------------------------------------------------------

  private confirm(conn: ClientConnection, id: string): void {
    const item = conn.inFlight.get(id);
    if (!item) return;
    this.confirmedIds.add(id);
    conn.inFlight.delete(id);
    item.onDelivered?.();
  }

  /**
   * What a real phone does with a message it cannot decrypt (the sender's Signal session is behind or
   * ahead of its own, e.g. the sender crashed after sending but before saving its session): a retry
   * receipt with a fresh key bundle, so the sender builds a new session and sends the message again
   * under the same id. Baileys answers it by re-encrypting the message it gets from `getMessage`.
   */
  private askForRetry(conn: ClientConnection, contact: ContactImpl, msg: { id: string; chat: string }): void {
    const count = (this.retryRequests.get(msg.id) ?? 0) + 1;
    if (count > MAX_RETRY_REQUESTS) {
      this.deps.log(`${contact.label} gives up on ${msg.id} after ${MAX_RETRY_REQUESTS} retry requests`);
      return;
    }
    this.retryRequests.set(msg.id, count);
    const bundle = contact.party.bundle();
    const t = unixNow();
    const keys: WANode[] = [
      makeNode('type', {}, Buffer.from([5])),
      makeNode('identity', {}, Buffer.from(bundle.identityKey)),
    ];
    if (bundle.preKey) {
      keys.push(
        makeNode('key', {}, [
          makeNode('id', {}, bigEndian(bundle.preKey.keyId, 3)),
          makeNode('value', {}, Buffer.from(bundle.preKey.publicKey)),
        ]),
      );
    }
    keys.push(
      makeNode('skey', {}, [
        makeNode('id', {}, bigEndian(bundle.signedPreKey.keyId, 3)),
        makeNode('value', {}, Buffer.from(bundle.signedPreKey.publicKey)),
        makeNode('signature', {}, Buffer.from(bundle.signedPreKey.signature)),
      ]),
    );
    this.deps.log(`${contact.label} asks ${conn.label} to retry ${msg.id} (${count})`);
    conn.send(
      makeNode('receipt', { from: msg.chat, id: msg.id, type: 'retry', t }, [
        makeNode('retry', { count, id: msg.id, t, v: 1 }),
        makeNode('registration', {}, bigEndian(bundle.registrationId, 4)),
        makeNode('keys', {}, keys),
      ]),
    );
  }

  private contactForJid(jid: string | undefined): ContactImpl | undefined {
    const parts = splitJid(jid);
    return parts ? this.deps.contactByUser(parts.user) : undefined;
  }

  private async fromBusiness(
    conn: ClientConnection,
    account: Account,
    device: CompanionDevice,
    msg: { id: string; chat: string; jid: string; enc: WANode },
  ): Promise<void> {
    const parts = splitJid(msg.jid);
    const type = msg.enc.attrs.type;
    const ciphertext = bytesOf(msg.enc);
    if (!parts || (type !== 'pkmsg' && type !== 'msg') || !ciphertext) {
      this.deps.log(`${conn.label} unroutable <to jid=${msg.jid}> (${type ?? 'no enc'})`);
      return;
    }
    // Whatever JID the client addressed (phone number or LID), the ciphertext comes from one
    // companion device: that is the Signal address on the receiving side.
    const from = { name: account.digits, device: device.id };
    const contact = parts.device === 0 ? this.deps.contactByUser(parts.user) : undefined;
    if (contact) {
      let message: proto.Message;
      try {
        message = proto.Message.decode(unpadRandomMax16(await contact.party.decrypt(from, type, ciphertext)));
      } catch (err) {
        this.deps.log(`${contact.label} could not decrypt ${msg.id} from ${account.digits}: ${String(err)}`);
        this.askForRetry(conn, contact, msg);
        return;
      }
      const text = textOfMessage(message);
      const media = receiveMedia(message, this.deps.mediaHost);
      if (media?.error)
        this.deps.log(`${contact.label} could not open the media of ${msg.id}: ${media.error}`);
      if (text !== undefined || media) {
        contact.recordReply({
          id: msg.id,
          text: text ?? '',
          from: `+${account.digits}`,
          to: msg.chat,
          at: Date.now(),
          ...(media && { media }),
        });
      } else {
        this.deps.log(`${contact.label} got a non-text message ${msg.id}: ${describe(message)}`);
      }
      // Sent a moment later: an instant receipt lands while the client still buffers its own 'append'
      // upsert of the message and is folded into it instead of surfacing as messages.update.
      conn.later(DELIVERY_RECEIPT_DELAY_MS, () => {
        conn.send(makeNode('receipt', { from: msg.chat, id: msg.id, t: unixNow() }));
      });
      return;
    }
    const ownUser = parts.user === account.digits || parts.user === account.lidUser;
    if (ownUser && parts.device === 0) {
      try {
        const message = proto.Message.decode(
          unpadRandomMax16(await account.phone.decrypt(from, type, ciphertext)),
        );
        this.deps.log(`phone ${account.digits} got ${describe(message)} (${msg.id})`);
      } catch (err) {
        this.deps.log(`phone ${account.digits} could not decrypt ${msg.id}: ${String(err)}`);
      }
      return;
    }
    this.deps.log(`${conn.label} message ${msg.id} for ${msg.jid}: nobody simulated there`);
  }

  private readyConnection(account: Account): ClientConnection | undefined {
    let found: ClientConnection | undefined;
    for (const conn of this.deps.connections()) {
      if (conn.account === account && conn.ready && conn.deliverable) found = conn;
    }
    return found;
  }

  /** For queue flushes: one message that cannot be encrypted must not take the rest of the queue with it. */
  private async deliverOrDrop(conn: ClientConnection, item: PendingDelivery): Promise<boolean> {
    try {
      await this.deliver(conn, item);
      return true;
    } catch (err) {
      this.deps.log(`${item.sender.label}: dropping ${item.id}, cannot encrypt it: ${String(err)}`);
      return false;
    }
  }

  /** Encrypts for the connection's device and sends it; back to the queue if the socket went away. */
  private async deliver(conn: ClientConnection, item: PendingDelivery): Promise<void> {
    const account = conn.account;
    const device = conn.device;
    if (!account || !device) return;
    const requeue = (): void => {
      if (item.transient) return;
      item.offline = true;
      account.outbox.push(item);
    };
    if (!conn.deliverable) {
      requeue();
      return;
    }
    const enc = item.message
      ? await item.sender.party.encrypt(
          { name: account.digits, device: device.id },
          encodeWAMessage(item.message),
          () => takeDeviceBundle(device),
        )
      : { type: 'msg', ciphertext: randomBytes(64) };
    const stanza = makeNode(
      'message',
      {
        ...item.sender.envelope(account),
        id: item.id,
        t: item.t,
        type: item.mediaType ? 'media' : 'text',
        offline: item.offline ? '1' : undefined,
      },
      [makeNode('enc', { v: 2, type: enc.type, mediatype: item.mediaType }, enc.ciphertext)],
    );
    if (!conn.deliverable || !conn.send(stanza)) {
      requeue();
      return;
    }
    conn.inFlight.set(item.id, item);
    this.deps.log(
      `${item.sender.label} -> ${conn.label}: ${item.id} (${enc.type}${item.offline ? ', offline' : ''})`,
    );
  }

  /** Everything that encrypts to one account's device runs in order, so Signal counters stay in step. */
  private inAccount(account: Account, task: () => Promise<void>): Promise<void> {
    const run = account.chain.then(task);
    account.chain = run.catch((err: unknown) => this.deps.log(`account ${account.digits}: ${String(err)}`));
    return run;
  }
}

function bigEndian(value: number, bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  for (let i = bytes - 1, v = value; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  return out;
}

function describe(message: proto.Message): string {
  return Object.keys(message.toJSON()).join(',');
}
