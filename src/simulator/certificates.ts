// The Noise server hello carries a two-level certificate chain. The client only checks that the
// intermediate is signed by WA_CERT_DETAILS.PUBLIC_KEY with issuerSerial === WA_CERT_DETAILS.SERIAL and
// that the leaf is signed by the intermediate's key, so a test root that the caller trusts is enough.
import { proto, WA_CERT_DETAILS } from '@whiskeysockets/baileys';
import { keyPairFromSeed, sign, type KeyPair } from './keys';

/**
 * A fixed, publicly known root so that every simulator in the process shares one trust anchor (setting
 * WA_CERT_DETAILS once then works for several servers). Being public, it proves nothing: never trust it
 * outside tests and the demo.
 */
const ROOT = keyPairFromSeed('switchboard-simulator-root-v1');
const INTERMEDIATE = keyPairFromSeed('switchboard-simulator-intermediate-v1');

export const SIMULATOR_ROOT_PUBLIC_KEY: Uint8Array = new Uint8Array(ROOT.public);

const INTERMEDIATE_SERIAL = 1;

export function buildCertChain(serverStatic: KeyPair): Uint8Array {
  const now = Math.floor(Date.now() / 1000);
  const intermediateDetails = proto.CertChain.NoiseCertificate.Details.encode({
    serial: INTERMEDIATE_SERIAL,
    issuerSerial: WA_CERT_DETAILS.SERIAL,
    key: INTERMEDIATE.public,
    notBefore: now - 3600,
    notAfter: now + 365 * 24 * 3600,
  }).finish();
  const leafDetails = proto.CertChain.NoiseCertificate.Details.encode({
    serial: INTERMEDIATE_SERIAL + 1,
    issuerSerial: INTERMEDIATE_SERIAL,
    key: serverStatic.public,
    notBefore: now - 3600,
    notAfter: now + 30 * 24 * 3600,
  }).finish();
  return proto.CertChain.encode({
    intermediate: { details: intermediateDetails, signature: sign(ROOT.private, intermediateDetails) },
    leaf: { details: leafDetails, signature: sign(INTERMEDIATE.private, leafDetails) },
  }).finish();
}

/**
 * TEST AND DEMO ONLY. Makes the Baileys client in this process trust the simulator's certificate chain
 * by replacing the WhatsApp root key it checks the Noise intermediate certificate against. After this
 * call the process would also trust anyone holding the (public) simulator root: never call it in a
 * process that talks to the real WhatsApp.
 */
export function trustSimulatorRoot(rootPublicKey: Uint8Array = SIMULATOR_ROOT_PUBLIC_KEY): void {
  WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(rootPublicKey);
}
