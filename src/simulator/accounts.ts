// Business accounts known to the simulator: the number, its LID, the phone's own Signal identity (which
// doubles as the ADV account signature key, as on a real primary device) and the one linked companion.
import type { proto } from '@whiskeysockets/baileys';
import { lidJid, pnJid } from './frames';
import { sha256 } from './keys';
import { SignalParty, type PreKeyBundle } from './signal-party';

export interface SignedPreKeyRecord {
  keyId: number;
  publicKey: Uint8Array;
  signature: Uint8Array;
}

/** What a companion sent in its registration ClientPayload (devicePairingData). */
export interface CompanionRegistration {
  noiseKey: Uint8Array;
  identityKey: Uint8Array;
  registrationId: number;
  signedPreKey: SignedPreKeyRecord;
  platformName: string;
}

export interface CompanionDevice extends CompanionRegistration {
  id: number;
  keyIndex: number;
  /** Uploaded one-time pre-keys not yet handed out in a bundle. */
  preKeys: Map<number, Uint8Array>;
  /** The first login after pairing gets a history-sync notification (else the client waits 20 s). */
  historySynced: boolean;
}

/** Someone who can write to a business: a simulated customer, or the business's own phone. */
export interface DeliverySender {
  readonly party: SignalParty;
  readonly label: string;
  /** Attributes that identify the sender on the <message> stanza (from, sender_pn/sender_lid, notify...). */
  envelope(account: Account): Record<string, string>;
}

/** A message from a simulated sender waiting for (or in flight to) the business's companion. */
export interface PendingDelivery {
  id: string;
  t: number;
  sender: DeliverySender;
  /** Undefined for the "undecryptable" kind, which travels as random bytes. */
  message?: proto.IMessage;
  /** Stanza type attribute: "text", or "media" with a mediatype on <enc>. */
  mediaType?: string;
  /** Set when it was queued while the business had no live socket: delivered with offline="1". */
  offline: boolean;
  /** Called once the client has sent a receipt (or a nack) for it. */
  onDelivered?: () => void;
  /** Not put back in the outbox when the socket drops before the receipt (the history notification). */
  transient?: boolean;
}

export interface Account {
  digits: string;
  lidUser: string;
  name: string;
  phone: SignalParty;
  device?: CompanionDevice;
  nextDeviceId: number;
  outbox: PendingDelivery[];
  /** Serialises everything that encrypts to this account's device, so Signal counters stay in order. */
  chain: Promise<void>;
}

/** LIDs are opaque numbers; derive them from the phone number so tests see stable values. */
export function lidUserFor(digits: string): string {
  const hash = sha256(Buffer.from(`lid:${digits}`, 'utf8'));
  const n = hash.readBigUInt64BE(0) % 10n ** 14n;
  return (10n ** 14n + n).toString();
}

export class AccountRegistry {
  private readonly byDigits = new Map<string, Account>();
  private readonly byLid = new Map<string, Account>();

  get(digits: string): Account | undefined {
    return this.byDigits.get(digits);
  }

  getByUser(user: string): Account | undefined {
    return this.byDigits.get(user) ?? this.byLid.get(user);
  }

  getOrCreate(digits: string): Account {
    const existing = this.byDigits.get(digits);
    if (existing) return existing;
    const account: Account = {
      digits,
      lidUser: lidUserFor(digits),
      name: `Shop ${digits.slice(-4)}`,
      phone: new SignalParty(),
      nextDeviceId: 1,
      outbox: [],
      chain: Promise.resolve(),
    };
    this.byDigits.set(digits, account);
    this.byLid.set(account.lidUser, account);
    return account;
  }

  all(): Account[] {
    return [...this.byDigits.values()];
  }
}

/** Linking a new companion replaces the previous one: the simulator keeps one companion per number. */
export function linkDevice(account: Account, registration: CompanionRegistration): CompanionDevice {
  const id = account.nextDeviceId++;
  const device: CompanionDevice = {
    ...registration,
    id,
    keyIndex: id,
    preKeys: new Map(),
    historySynced: false,
  };
  account.device = device;
  return device;
}

export function deviceJids(account: Account, device: CompanionDevice): { jid: string; lid: string } {
  return { jid: pnJid(account.digits, device.id), lid: lidJid(account.lidUser, device.id) };
}

/** Hands out one uploaded one-time pre-key (removing it, as the real server does) with the signed one. */
export function takeDeviceBundle(device: CompanionDevice): PreKeyBundle {
  const first = device.preKeys.entries().next();
  let preKey: PreKeyBundle['preKey'];
  if (!first.done) {
    const [keyId, publicKey] = first.value;
    device.preKeys.delete(keyId);
    preKey = { keyId, publicKey };
  }
  return {
    registrationId: device.registrationId,
    identityKey: device.identityKey,
    signedPreKey: device.signedPreKey,
    preKey,
  };
}
