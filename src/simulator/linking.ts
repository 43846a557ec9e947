// The simulated phone linking a companion: by scanning its QR, or by the 8-character pairing code,
// then pair-success, the companion's countersignature, and the 515 restart.
import { linkDevice, type AccountRegistry } from './accounts';
import type { ClientConnection } from './connection';
import { childBytes, childOf, childrenOf, makeNode, phoneDigits, unixNow, type WANode } from './frames';
import { iqError, result } from './iq-handlers';
import { bytesEqual, generateKeyPair } from './keys';
import {
  buildPairSuccess,
  newRef,
  openCompanionFinish,
  parseQr,
  unwrapCompanionEphemeral,
  verifyPairDeviceSign,
  wrapPrimaryEphemeral,
} from './pairing';

export interface LinkerDeps {
  accounts: AccountRegistry;
  connections(): Iterable<ClientConnection>;
  /** Resolves once `check` returns something (null included) after a frame or a close, or on timeout. */
  waitFor<T>(check: () => T | null | undefined, timeoutMs?: number): Promise<T | null | undefined>;
  log(line: string): void;
}

/** What a linked device gets when the owner unlinks it on the phone: the client reports 401. */
export const DEVICE_REMOVED = makeNode('stream:error', { code: 401 }, [
  makeNode('conflict', { type: 'device_removed' }),
]);

export class Linker {
  constructor(private readonly deps: LinkerDeps) {}

  async scanQr(qr: string, phone: string, name?: string): Promise<void> {
    const data = parseQr(qr);
    const digits = phoneDigits(phone);
    const conn = [...this.deps.connections()].find((c) => c.refs.has(data.ref));
    if (!conn || conn.state !== 'unpaired' || !conn.open || !conn.registration) {
      throw new Error('no open, unpaired socket is showing this QR code');
    }
    // The QR carries the companion's noise and identity keys: a QR copied from another socket (or
    // tampered with) must not link this one.
    if (
      !bytesEqual(conn.clientStatic, data.noiseKey) ||
      !bytesEqual(conn.registration.identityKey, data.identityKey)
    ) {
      throw new Error('QR keys do not match the socket that showed it');
    }
    await this.complete(conn, digits, data.advSecret, name);
  }

  async enterPairingCode(phone: string, code: string, name?: string): Promise<void> {
    const digits = phoneDigits(phone);
    // requestPairingCode() sends its companion_hello without waiting, so it may still be in flight.
    const conn = await this.deps.waitFor(() =>
      [...this.deps.connections()].find(
        (c) => c.pairingCode?.phoneDigits === digits && c.state === 'unpaired' && c.open,
      ),
    );
    const request = conn?.pairingCode;
    if (!conn || !request || !conn.registration) {
      throw new Error(`no socket asked for a pairing code for ${phone}`);
    }
    const normalized = code.replace(/[\s-]/g, '').toUpperCase();
    const account = this.deps.accounts.getOrCreate(digits);
    // A wrong code yields a garbage key here; nothing fails until the companion's key bundle does not
    // open, exactly as on a real phone.
    const companionEphemeral = await unwrapCompanionEphemeral(normalized, request.wrappedEphemeral);
    const primaryEphemeral = generateKeyPair();
    const wrappedPrimary = await wrapPrimaryEphemeral(normalized, primaryEphemeral.public);

    conn.companionFinish = undefined;
    conn.send(
      makeNode(
        'notification',
        { from: 's.whatsapp.net', type: 'link_code_companion_reg', id: conn.generateId(), t: unixNow() },
        [
          makeNode('link_code_companion_reg', { stage: 'primary_hello' }, [
            makeNode('link_code_pairing_ref', {}, Buffer.from(request.ref, 'utf8')),
            makeNode('primary_identity_pub', {}, account.phone.identity.public),
            makeNode('link_code_pairing_wrapped_primary_ephemeral_pub', {}, wrappedPrimary),
          ]),
        ],
      ),
    );
    const finishIq = await this.deps.waitFor(
      () => conn.companionFinish ?? (conn.open ? undefined : null),
      15_000,
    );
    conn.companionFinish = undefined;
    if (!finishIq) throw new Error('the companion never finished the pairing-code link');
    const reg = childOf(finishIq, 'link_code_companion_reg');
    const companionIdentity = childBytes(reg, 'companion_identity_public');
    const wrappedBundle = childBytes(reg, 'link_code_pairing_wrapped_key_bundle');
    const advSecret =
      companionIdentity && wrappedBundle && bytesEqual(companionIdentity, conn.registration.identityKey)
        ? openCompanionFinish({
            wrappedBundle,
            companionEphemeral,
            primaryEphemeral,
            primaryIdentity: account.phone.identity,
            companionIdentity,
          })
        : undefined;
    if (!advSecret) {
      // The companion keeps showing its code: the owner may type it again.
      conn.send(iqError(finishIq, 401, 'not-authorized'));
      throw new Error(`wrong pairing code for ${phone}`);
    }
    conn.send(result(finishIq));
    await this.complete(conn, digits, advSecret, name);
  }

  /** The md-namespace iqs of the pairing-code flow; undefined when the answer comes later. */
  onMdIq(conn: ClientConnection, iq: WANode): WANode | undefined {
    const first = childrenOf(iq)[0];
    if (first?.tag === 'link_code_companion_reg') {
      if (first.attrs.stage === 'companion_hello') {
        const wrapped = childBytes(first, 'link_code_pairing_wrapped_companion_ephemeral_pub');
        const noiseKey = childBytes(first, 'companion_server_auth_key_pub');
        let digits: string | undefined;
        try {
          digits = phoneDigits(first.attrs.jid ?? '');
        } catch {
          digits = undefined;
        }
        if (!wrapped || !noiseKey || !digits || !bytesEqual(noiseKey, conn.clientStatic)) {
          return iqError(iq, 400, 'bad-request');
        }
        const ref = newRef();
        conn.pairingCode = { phoneDigits: digits, wrappedEphemeral: Buffer.from(wrapped), ref };
        this.deps.log(`${conn.label} asked for a pairing code for +${digits}`);
        return result(iq, [
          makeNode('link_code_companion_reg', {}, [
            makeNode('link_code_pairing_ref', {}, Buffer.from(ref, 'utf8')),
          ]),
        ]);
      }
      if (first.attrs.stage === 'companion_finish') {
        // Answered by enterPairingCode once it has opened the key bundle.
        conn.companionFinish = iq;
        return undefined;
      }
      return iqError(iq, 400, 'bad-request');
    }
    if (first?.tag === 'remove-companion-device' && conn.account && conn.device) {
      // logout(): the client closes itself with 401; the link is gone for good.
      if (conn.account.device === conn.device) conn.account.device = undefined;
      this.deps.log(`${conn.label} logged out`);
    }
    return result(iq);
  }

  private async complete(
    conn: ClientConnection,
    digits: string,
    advSecret: Uint8Array,
    name?: string,
  ): Promise<void> {
    const registration = conn.registration;
    if (!registration) throw new Error(`${conn.label} has no registration data`);
    const account = this.deps.accounts.getOrCreate(digits);
    if (name) account.name = name;
    const previous = account.device;
    const device = linkDevice(account, registration);
    for (const other of this.deps.connections()) {
      if (previous && other.device === previous && other.open) other.sendAndClose(DEVICE_REMOVED);
    }
    let reply: WANode;
    try {
      reply = await conn.query(buildPairSuccess(account, device, advSecret, conn.generateId()));
    } catch (err) {
      account.device = previous;
      throw err;
    }
    if (!verifyPairDeviceSign(reply, account, device)) {
      account.device = previous;
      conn.sendAndClose(makeNode('failure', { reason: 401, location: 'sim' }));
      throw new Error('companion did not countersign the device identity');
    }
    this.deps.log(`${conn.label} linked as ${digits}:${device.id}; restarting it (515)`);
    conn.sendAndClose(makeNode('stream:error', { code: 515 }));
  }
}
