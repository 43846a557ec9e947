// Responder side of WhatsApp's Noise_XX_25519_AESGCM_SHA256 handshake, mirroring the client's
// Utils/noise-handler.js step by step. Quirks that matter:
// - the protocol name is exactly 32 bytes, so it is used as the initial hash without hashing it;
// - the prologue mixed into the hash is the 4-byte "WA" header the client sent on its first frame
//   (optionally preceded by an "ED" routing-info block that is not part of the prologue);
// - nonces are a 12-byte IV with a big-endian counter in the last 4 bytes, reset on every key mix;
// - after the handshake the first HKDF half encrypts client->server, the second server->client;
// - every frame, in both directions, is a 3-byte big-endian length followed by the payload.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { proto } from '@whiskeysockets/baileys';
import { generateKeyPair, hkdf, sha256, sharedKey, type KeyPair } from './keys';

const NOISE_MODE = Buffer.from('Noise_XX_25519_AESGCM_SHA256\0\0\0\0', 'latin1');
const WA_MAGIC = Buffer.from('WA', 'latin1');
const ROUTING_MAGIC = Buffer.from('ED', 'latin1');
const MAX_FRAME = (1 << 24) - 1;
const TAG_LENGTH = 16;

function iv(counter: number): Buffer {
  const out = Buffer.alloc(12);
  out.writeUInt32BE(counter >>> 0, 8);
  return out;
}

function gcmEncrypt(key: Buffer, counter: number, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, iv(counter));
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function gcmDecrypt(key: Buffer, counter: number, ciphertext: Uint8Array, aad: Uint8Array): Buffer {
  if (ciphertext.length < TAG_LENGTH) throw new Error('noise ciphertext shorter than its tag');
  const body = ciphertext.subarray(0, ciphertext.length - TAG_LENGTH);
  const tag = ciphertext.subarray(ciphertext.length - TAG_LENGTH);
  const decipher = createDecipheriv('aes-256-gcm', key, iv(counter));
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]);
}

export type NoiseEvent =
  | { type: 'send'; bytes: Buffer }
  | { type: 'handshake'; clientStatic: Buffer; payload: Buffer }
  | { type: 'frame'; plaintext: Buffer };

export class NoiseResponder {
  private inBytes: Buffer = Buffer.alloc(0);
  private introParsed = false;
  private phase: 'hello' | 'finish' | 'transport' = 'hello';
  private hash: Buffer = NOISE_MODE;
  private salt: Buffer = NOISE_MODE;
  private key: Buffer = NOISE_MODE;
  private counter = 0;
  private readonly ephemeral: KeyPair = generateKeyPair();
  private clientEphemeral: Buffer = Buffer.alloc(0);
  private recvKey: Buffer = Buffer.alloc(0);
  private sendKey: Buffer = Buffer.alloc(0);
  private recvCounter = 0;
  private sendCounter = 0;

  constructor(
    private readonly staticKey: KeyPair,
    private readonly certChain: Uint8Array,
  ) {}

  get established(): boolean {
    return this.phase === 'transport';
  }

  /** Feeds bytes from the socket. Throws on anything malformed: the caller closes the connection. */
  push(data: Uint8Array): NoiseEvent[] {
    this.inBytes = this.inBytes.length ? Buffer.concat([this.inBytes, data]) : Buffer.from(data);
    const events: NoiseEvent[] = [];
    if (!this.introParsed && !this.parseIntro()) return events;
    for (;;) {
      if (this.inBytes.length < 3) break;
      const size = (this.inBytes[0]! << 16) | (this.inBytes[1]! << 8) | this.inBytes[2]!;
      if (size > MAX_FRAME) throw new Error('noise frame too large');
      if (this.inBytes.length < size + 3) break;
      const frame = this.inBytes.subarray(3, size + 3);
      this.inBytes = Buffer.from(this.inBytes.subarray(size + 3));
      events.push(...this.onFrame(frame));
    }
    return events;
  }

  /** Encrypts (after the handshake) and length-prefixes one outgoing frame. */
  encodeFrame(plaintext: Uint8Array): Buffer {
    if (this.phase !== 'transport') throw new Error('noise transport not established');
    const body = gcmEncrypt(this.sendKey, this.sendCounter++, plaintext, Buffer.alloc(0));
    return Buffer.concat([lengthPrefix(body.length), body]);
  }

  private parseIntro(): boolean {
    let offset = 0;
    if (this.inBytes.length >= 2 && this.inBytes.subarray(0, 2).equals(ROUTING_MAGIC)) {
      if (this.inBytes.length < 7) return false;
      const routingLength = (this.inBytes[4]! << 16) | this.inBytes.readUInt16BE(5);
      offset = 7 + routingLength;
    }
    if (this.inBytes.length < offset + 4) return false;
    const header = this.inBytes.subarray(offset, offset + 4);
    if (!header.subarray(0, 2).equals(WA_MAGIC)) throw new Error('missing WA intro header');
    this.mixHash(header);
    this.inBytes = Buffer.from(this.inBytes.subarray(offset + 4));
    this.introParsed = true;
    return true;
  }

  private onFrame(frame: Buffer): NoiseEvent[] {
    switch (this.phase) {
      case 'hello':
        return [{ type: 'send', bytes: this.onClientHello(frame) }];
      case 'finish':
        return [this.onClientFinish(frame)];
      case 'transport':
        return [
          { type: 'frame', plaintext: gcmDecrypt(this.recvKey, this.recvCounter++, frame, Buffer.alloc(0)) },
        ];
    }
  }

  private onClientHello(frame: Buffer): Buffer {
    const hello = proto.HandshakeMessage.decode(frame).clientHello;
    const ephemeral = hello?.ephemeral;
    if (!ephemeral || ephemeral.length !== 32)
      throw new Error('client hello without a 32-byte ephemeral key');
    this.clientEphemeral = Buffer.from(ephemeral);
    this.mixHash(this.clientEphemeral);

    this.mixHash(this.ephemeral.public);
    this.mixKey(sharedKey(this.ephemeral.private, this.clientEphemeral));
    const encStatic = this.encryptAndHash(this.staticKey.public);
    this.mixKey(sharedKey(this.staticKey.private, this.clientEphemeral));
    const encPayload = this.encryptAndHash(this.certChain);
    this.phase = 'finish';
    const reply = proto.HandshakeMessage.encode({
      serverHello: { ephemeral: this.ephemeral.public, static: encStatic, payload: encPayload },
    }).finish();
    return Buffer.concat([lengthPrefix(reply.length), reply]);
  }

  private onClientFinish(frame: Buffer): NoiseEvent {
    const finish = proto.HandshakeMessage.decode(frame).clientFinish;
    if (!finish?.static || !finish.payload) throw new Error('client finish without static key or payload');
    const clientStatic = this.decryptAndHash(finish.static);
    if (clientStatic.length !== 32) throw new Error('client static key is not 32 bytes');
    this.mixKey(sharedKey(this.ephemeral.private, clientStatic));
    const payload = this.decryptAndHash(finish.payload);
    const split = hkdf(Buffer.alloc(0), 64, this.salt, '');
    this.recvKey = split.subarray(0, 32);
    this.sendKey = split.subarray(32);
    this.phase = 'transport';
    return { type: 'handshake', clientStatic, payload };
  }

  private mixHash(data: Uint8Array): void {
    this.hash = sha256(Buffer.concat([this.hash, data]));
  }

  private mixKey(ikm: Uint8Array): void {
    const out = hkdf(ikm, 64, this.salt, '');
    this.salt = out.subarray(0, 32);
    this.key = out.subarray(32);
    this.counter = 0;
  }

  private encryptAndHash(plaintext: Uint8Array): Buffer {
    const ciphertext = gcmEncrypt(this.key, this.counter++, plaintext, this.hash);
    this.mixHash(ciphertext);
    return ciphertext;
  }

  private decryptAndHash(ciphertext: Uint8Array): Buffer {
    const plaintext = gcmDecrypt(this.key, this.counter++, ciphertext, this.hash);
    this.mixHash(ciphertext);
    return plaintext;
  }
}

function lengthPrefix(length: number): Buffer {
  if (length > MAX_FRAME) throw new Error('noise frame too large');
  return Buffer.from([(length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff]);
}
