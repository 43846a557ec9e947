// What the simulated phone does when it links a companion: read the QR (or the 8-character code), sign
// an ADV device identity with the account key, and wrap it in an HMAC keyed by the companion's ADV secret.
import { randomBytes, createCipheriv, createDecipheriv } from 'node:crypto';
import { derivePairingCodeKey, proto } from '@whiskeysockets/baileys';
import type { Account, CompanionDevice } from './accounts';
import { deviceJids } from './accounts';
import { childOf, bytesOf, makeNode, unixNow, type WANode } from './frames';
import { bytesEqual, hkdf, hmacSha256, sharedKey, sign, verify, type KeyPair } from './keys';

const ADV_ACCOUNT_SIG_PREFIX = Buffer.from([6, 0]);
const ADV_DEVICE_SIG_PREFIX = Buffer.from([6, 1]);
/** The primary's platform as reported in pair-success: "smba" is WhatsApp Business on Android. */
export const PRIMARY_PLATFORM = 'smba';

export interface QrData {
  ref: string;
  noiseKey: Buffer;
  identityKey: Buffer;
  advSecret: Buffer;
  platformId: string;
}

/** rc14 emits "https://wa.me/settings/linked_devices#ref,noise,identity,adv,platform"; older clients omit the URL. */
export function parseQr(qr: string): QrData {
  const data = qr.includes('#') ? qr.slice(qr.indexOf('#') + 1) : qr;
  const [ref, noise, identity, adv, platformId] = data.split(',');
  if (!ref || !noise || !identity || !adv) throw new Error('not a WhatsApp linking QR string');
  const noiseKey = Buffer.from(noise, 'base64');
  const identityKey = Buffer.from(identity, 'base64');
  const advSecret = Buffer.from(adv, 'base64');
  if (noiseKey.length !== 32 || identityKey.length !== 32 || advSecret.length !== 32) {
    throw new Error('QR string keys have the wrong length');
  }
  return { ref, noiseKey, identityKey, advSecret, platformId: platformId ?? '' };
}

export function newRef(): string {
  return `2@${randomBytes(36).toString('base64')}`;
}

/**
 * pair-success must carry device-identity (with key-index), device (jid and lid), platform and biz: the
 * client decodes all of them and calls keyIndex.toString(), so keyIndex must be set.
 */
export function buildPairSuccess(
  account: Account,
  device: CompanionDevice,
  advSecret: Uint8Array,
  id: string,
): WANode {
  const details = proto.ADVDeviceIdentity.encode({
    rawId: randomBytes(4).readUInt32BE(0),
    timestamp: unixNow(),
    keyIndex: device.keyIndex,
    accountType: proto.ADVEncryptionType.E2EE,
    deviceType: proto.ADVEncryptionType.E2EE,
  }).finish();
  const phoneKey: KeyPair = account.phone.identity;
  const accountSignature = sign(
    phoneKey.private,
    Buffer.concat([ADV_ACCOUNT_SIG_PREFIX, details, device.identityKey]),
  );
  const signedIdentity = proto.ADVSignedDeviceIdentity.encode({
    details,
    accountSignatureKey: phoneKey.public,
    accountSignature,
  }).finish();
  const container = proto.ADVSignedDeviceIdentityHMAC.encode({
    details: signedIdentity,
    hmac: hmacSha256(advSecret, signedIdentity),
    accountType: proto.ADVEncryptionType.E2EE,
  }).finish();
  const { jid, lid } = deviceJids(account, device);
  return makeNode('iq', { from: 's.whatsapp.net', type: 'set', id, xmlns: 'md', t: unixNow() }, [
    makeNode('pair-success', {}, [
      makeNode('device-identity', { 'key-index': device.keyIndex }, container),
      makeNode('platform', { name: PRIMARY_PLATFORM }),
      makeNode('device', { jid, lid }),
      makeNode('biz', { name: account.name }),
    ]),
  ]);
}

/** The companion countersigns the identity with its own key; check it before calling the link done. */
export function verifyPairDeviceSign(reply: WANode, account: Account, device: CompanionDevice): boolean {
  if (reply.attrs.type !== 'result') return false;
  const content = bytesOf(childOf(childOf(reply, 'pair-device-sign'), 'device-identity'));
  if (!content) return false;
  const signed = proto.ADVSignedDeviceIdentity.decode(content);
  if (!signed.details || !signed.deviceSignature) return false;
  const message = Buffer.concat([
    ADV_DEVICE_SIG_PREFIX,
    signed.details,
    device.identityKey,
    account.phone.identity.public,
  ]);
  return verify(device.identityKey, message, signed.deviceSignature);
}

// --- Pairing code ("link with phone number") -------------------------------------------------------

function aesCtr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** companion_hello carries salt(32) | iv(16) | AES-CTR(companion ephemeral public key) under PBKDF2(code). */
export async function unwrapCompanionEphemeral(code: string, wrapped: Uint8Array): Promise<Buffer> {
  if (wrapped.length !== 80) throw new Error('wrapped companion ephemeral key must be 80 bytes');
  const key = await derivePairingCodeKey(code, Buffer.from(wrapped.subarray(0, 32)));
  return aesCtr(key, wrapped.subarray(32, 48), wrapped.subarray(48, 80));
}

export async function wrapPrimaryEphemeral(code: string, publicKey: Uint8Array): Promise<Buffer> {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const key = await derivePairingCodeKey(code, salt);
  return Buffer.concat([salt, iv, aesCtr(key, iv, publicKey)]);
}

/**
 * companion_finish carries salt(32) | iv(12) | AES-GCM(companion identity | primary identity | random)
 * under HKDF(ECDH(primary ephemeral, companion ephemeral)). Both sides then derive the ADV secret from
 * the two shared secrets and the random bytes. Returns undefined if the code was wrong (GCM fails).
 */
export function openCompanionFinish(args: {
  wrappedBundle: Uint8Array;
  companionEphemeral: Uint8Array;
  primaryEphemeral: KeyPair;
  primaryIdentity: KeyPair;
  companionIdentity: Uint8Array;
}): Buffer | undefined {
  const { wrappedBundle, companionEphemeral, primaryEphemeral, primaryIdentity, companionIdentity } = args;
  if (wrappedBundle.length < 32 + 12 + 16) return undefined;
  const companionShared = sharedKey(primaryEphemeral.private, companionEphemeral);
  const key = hkdf(
    companionShared,
    32,
    wrappedBundle.subarray(0, 32),
    'link_code_pairing_key_bundle_encryption_key',
  );
  const body = wrappedBundle.subarray(44);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, wrappedBundle.subarray(32, 44));
    decipher.setAAD(Buffer.alloc(0));
    decipher.setAuthTag(body.subarray(body.length - 16));
    plain = Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
  } catch {
    return undefined;
  }
  if (plain.length !== 96) return undefined;
  if (!bytesEqual(plain.subarray(0, 32), companionIdentity)) return undefined;
  if (!bytesEqual(plain.subarray(32, 64), primaryIdentity.public)) return undefined;
  const identityShared = sharedKey(primaryIdentity.private, companionIdentity);
  return hkdf(
    Buffer.concat([companionShared, identityShared, plain.subarray(64)]),
    32,
    Buffer.alloc(0),
    'adv_secret',
  );
}
