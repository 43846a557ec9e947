// One Signal identity (a simulated customer, or a business's own phone) on top of the registry package
// libsignal, the same library the Baileys client uses, so both ends run the same ratchet code.
import { ProtocolAddress, SessionBuilder, SessionCipher, SessionRecord, type SignalStorage } from 'libsignal';
import { generateRegistrationId } from '@whiskeysockets/baileys';
import { generateKeyPair, sign, signalPub, type KeyPair } from './keys';

export interface PreKeyBundle {
  registrationId: number;
  /** 32-byte identity key (no 0x05 prefix), as it travels in <identity>. */
  identityKey: Uint8Array;
  signedPreKey: { keyId: number; publicKey: Uint8Array; signature: Uint8Array };
  preKey?: { keyId: number; publicKey: Uint8Array };
}

export type EncType = 'pkmsg' | 'msg';

export interface SignalAddress {
  name: string;
  device: number;
}

/** libsignal's own typings mark the one-time pre-key as required; the runtime accepts a bundle without. */
type OutgoingBundle = Parameters<SessionBuilder['initOutgoing']>[0];

interface StoredKey {
  privKey: Buffer;
  pubKey: Buffer;
}

export class SignalParty {
  readonly identity: KeyPair;
  readonly registrationId: number;
  readonly signedPreKey: { keyId: number; keyPair: KeyPair; signature: Buffer };
  private readonly preKeys = new Map<number, KeyPair>();
  private nextPreKeyId = 1;
  private readonly sessions = new Map<string, SessionRecord>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly storage: SignalStorage;

  constructor(identity: KeyPair = generateKeyPair()) {
    this.identity = identity;
    this.registrationId = generateRegistrationId();
    const signed = generateKeyPair();
    // Signed pre-keys are signed over the 33-byte form, exactly as Baileys' signedKeyPair does.
    this.signedPreKey = {
      keyId: 1,
      keyPair: signed,
      signature: sign(identity.private, signalPub(signed.public)),
    };
    const toStored = (pair: KeyPair): StoredKey => ({
      privKey: pair.private,
      pubKey: signalPub(pair.public),
    });
    this.storage = {
      loadSession: (id) => Promise.resolve(this.sessions.get(id)),
      storeSession: (id, session) => {
        this.sessions.set(id, session);
        return Promise.resolve();
      },
      // Trust on first use, like the client: identity changes are not what these tests are about.
      isTrustedIdentity: () => true,
      loadPreKey: (id) => {
        const pair = this.preKeys.get(Number(id));
        return Promise.resolve(pair ? toStored(pair) : undefined);
      },
      removePreKey: (id) => {
        this.preKeys.delete(Number(id));
      },
      loadSignedPreKey: () => toStored(this.signedPreKey.keyPair),
      getOurRegistrationId: () => this.registrationId,
      getOurIdentity: () => toStored(this.identity),
    };
  }

  /** A bundle with a fresh one-time pre-key whose private half we keep to decrypt the reply's pkmsg. */
  bundle(): PreKeyBundle {
    const keyId = this.nextPreKeyId++;
    const pair = generateKeyPair();
    this.preKeys.set(keyId, pair);
    return {
      registrationId: this.registrationId,
      identityKey: this.identity.public,
      signedPreKey: {
        keyId: this.signedPreKey.keyId,
        publicKey: this.signedPreKey.keyPair.public,
        signature: this.signedPreKey.signature,
      },
      preKey: { keyId, publicKey: pair.public },
    };
  }

  forgetSessions(): void {
    this.sessions.clear();
  }

  hasSession(address: SignalAddress): boolean {
    return this.sessions.get(toAddress(address).toString())?.haveOpenSession() ?? false;
  }

  /** Encrypts to a peer device; `bundleFor` is consulted only when no open session exists yet. */
  encrypt(
    address: SignalAddress,
    plaintext: Uint8Array,
    bundleFor: () => PreKeyBundle | undefined,
  ): Promise<{ type: EncType; ciphertext: Buffer }> {
    return this.serialized(async () => {
      const addr = toAddress(address);
      if (!this.hasSession(address)) {
        const bundle = bundleFor();
        if (!bundle) throw new Error(`no pre-key bundle for ${addr.toString()}`);
        await new SessionBuilder(this.storage, addr).initOutgoing(toOutgoing(bundle));
      }
      const { type, body } = await new SessionCipher(this.storage, addr).encrypt(plaintext);
      return { type: type === 3 ? 'pkmsg' : 'msg', ciphertext: Buffer.from(body, 'binary') };
    });
  }

  decrypt(address: SignalAddress, type: EncType, ciphertext: Uint8Array): Promise<Buffer> {
    return this.serialized(async () => {
      const cipher = new SessionCipher(this.storage, toAddress(address));
      const plain =
        type === 'pkmsg'
          ? await cipher.decryptPreKeyWhisperMessage(ciphertext)
          : await cipher.decryptWhisperMessage(ciphertext);
      return Buffer.from(plain);
    });
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function toAddress({ name, device }: SignalAddress): ProtocolAddress {
  return new ProtocolAddress(name, device);
}

function toOutgoing(bundle: PreKeyBundle): OutgoingBundle {
  const outgoing = {
    registrationId: bundle.registrationId,
    identityKey: signalPub(bundle.identityKey),
    signedPreKey: {
      keyId: bundle.signedPreKey.keyId,
      publicKey: signalPub(bundle.signedPreKey.publicKey),
      signature: Buffer.from(bundle.signedPreKey.signature),
    },
    preKey: bundle.preKey
      ? { keyId: bundle.preKey.keyId, publicKey: signalPub(bundle.preKey.publicKey) }
      : undefined,
  };
  return outgoing as OutgoingBundle;
}
