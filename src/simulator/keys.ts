// Curve25519 key material in the shape Baileys uses ({ public: 32 bytes, private: 32 bytes }), plus the
// 33-byte "signal" form (0x05 prefix) that libsignal insists on.
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import { Curve } from '@whiskeysockets/baileys';

export interface KeyPair {
  public: Buffer;
  private: Buffer;
}

const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

export function generateKeyPair(): KeyPair {
  const pair = Curve.generateKeyPair();
  return { public: Buffer.from(pair.public), private: Buffer.from(pair.private) };
}

/** Deterministic key pair from a seed, for the fixed test root certificate. */
export function keyPairFromSeed(seed: string): KeyPair {
  const priv = sha256(Buffer.from(seed, 'utf8'));
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_X25519_PREFIX, priv]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return { public: Buffer.from(spki.subarray(spki.length - 32)), private: priv };
}

export function sharedKey(priv: Uint8Array, pub: Uint8Array): Buffer {
  return Buffer.from(Curve.sharedKey(Buffer.from(priv), Buffer.from(pub)));
}

export function sign(priv: Uint8Array, message: Uint8Array): Buffer {
  return Buffer.from(Curve.sign(Buffer.from(priv), Buffer.from(message)));
}

export function verify(pub: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return Curve.verify(Buffer.from(pub), Buffer.from(message), Buffer.from(signature));
}

export function signalPub(pub: Uint8Array): Buffer {
  return pub.length === 33 ? Buffer.from(pub) : Buffer.concat([Buffer.from([5]), pub]);
}

export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

export function hmacSha256(key: Uint8Array, data: Uint8Array): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function hkdf(ikm: Uint8Array, length: number, salt: Uint8Array, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from(info, 'utf8'), length));
}

export function randomId(bytes = 8): string {
  return randomBytes(bytes).toString('hex').toUpperCase();
}

export function randomUint(max: number): number {
  return randomBytes(4).readUInt32BE(0) % max;
}

export function bytesEqual(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return !!a && !!b && a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}
