// Answers to the iq queries a logged-in client sends. Everything not listed gets an empty
// <iq type="result"/>, which every rc14 code path we exercise accepts.
import type { Account, AccountRegistry } from './accounts';
import { takeDeviceBundle } from './accounts';
import type { ContactImpl } from './contact';
import {
  childBytes,
  childOf,
  childrenNamed,
  childrenOf,
  lidJid,
  makeNode,
  phoneDigits,
  pnJid,
  readUintBE,
  splitJid,
  textOf,
  uintBE,
  unixNow,
  type JidParts,
  type WANode,
} from './frames';
import { sha256 } from './keys';
import type { PreKeyBundle } from './signal-party';

export interface IqEnv {
  account: Account | undefined;
  accounts: AccountRegistry;
  contactByUser(user: string): ContactImpl | undefined;
  /** The media host uploads go to, and the auth token it takes. */
  mediaConn: { hostname: string; auth: string };
  log(line: string): void;
}

export function result(iq: WANode, content?: WANode[]): WANode {
  return makeNode('iq', { from: 's.whatsapp.net', type: 'result', id: iq.attrs.id }, content);
}

export function iqError(iq: WANode, code: number, text: string): WANode {
  return makeNode('iq', { from: 's.whatsapp.net', type: 'error', id: iq.attrs.id }, [
    makeNode('error', { code, text }),
  ]);
}

export function answerIq(env: IqEnv, iq: WANode): WANode {
  const first = childrenOf(iq)[0];
  switch (iq.attrs.xmlns) {
    case 'encrypt':
      return answerEncrypt(env, iq, first);
    case 'usync':
      return answerUsync(env, iq);
    case 'privacy':
      return first?.tag === 'privacy' && iq.attrs.type === 'get' ? privacySettings(iq) : result(iq);
    case 'abt':
      // No AB props: the client keeps its defaults (tctokens on 1:1 messages etc.).
      return result(iq, [makeNode('props', { protocol: '1', hash: 'simulator' })]);
    case 'blocklist':
      return result(iq, [makeNode('list', {})]);
    case 'w:sync:app:state':
      return answerAppState(iq, first);
    case 'w:m':
      // The one upload host is the server's own HTTPS media host; Baileys also downloads from the
      // first host named here after a re-upload.
      return result(iq, [
        makeNode('media_conn', { auth: env.mediaConn.auth, ttl: 3600 }, [
          makeNode('host', { hostname: env.mediaConn.hostname }),
        ]),
      ]);
    default:
      return result(iq);
  }
}

function answerEncrypt(env: IqEnv, iq: WANode, first: WANode | undefined): WANode {
  const device = env.account?.device;
  if (iq.attrs.type === 'get') {
    switch (first?.tag) {
      case 'count':
        return result(iq, [makeNode('count', { value: device?.preKeys.size ?? 0 })]);
      case 'digest':
        return device ? result(iq, [digestNode(device)]) : iqError(iq, 404, 'item-not-found');
      case 'key':
        return result(iq, [
          makeNode(
            'list',
            {},
            childrenNamed(first, 'user').map((u) => bundleForUser(env, u)),
          ),
        ]);
      default:
        return result(iq);
    }
  }
  if (!device) return iqError(iq, 401, 'not-authorized');
  const list = childOf(iq, 'list');
  if (list) {
    // Pre-key upload: <registration/><type/><identity/><list><key>...</key></list><skey/>.
    for (const key of childrenNamed(list, 'key')) {
      const id = readUintBE(childBytes(key, 'id'));
      const value = childBytes(key, 'value');
      if (id !== undefined && value?.length === 32) device.preKeys.set(id, Buffer.from(value));
    }
    const skey = parseSignedPreKey(childOf(iq, 'skey'));
    if (skey) device.signedPreKey = skey;
    const registrationId = readUintBE(childBytes(iq, 'registration'));
    if (registrationId !== undefined) device.registrationId = registrationId;
    env.log(`prekeys for ${env.account?.digits}:${device.id} now ${device.preKeys.size}`);
    return result(iq);
  }
  const rotated = parseSignedPreKey(childOf(childOf(iq, 'rotate'), 'skey'));
  if (rotated) device.signedPreKey = rotated;
  return result(iq);
}

function parseSignedPreKey(skey: WANode | undefined): PreKeyBundle['signedPreKey'] | undefined {
  const keyId = readUintBE(childBytes(skey, 'id'));
  const publicKey = childBytes(skey, 'value');
  const signature = childBytes(skey, 'signature');
  if (keyId === undefined || publicKey?.length !== 32 || !signature) return undefined;
  return { keyId, publicKey: Buffer.from(publicKey), signature: Buffer.from(signature) };
}

function digestNode(device: NonNullable<Account['device']>): WANode {
  const ids = [...device.preKeys.keys()];
  return makeNode('digest', {}, [
    makeNode('registration', {}, uintBE(device.registrationId, 4)),
    makeNode('type', {}, Buffer.from([5])),
    makeNode('identity', {}, Buffer.from(device.identityKey)),
    makeNode('skey', {}, [makeNode('id', {}, uintBE(device.signedPreKey.keyId, 3))]),
    makeNode(
      'list',
      {},
      ids.map((id) => makeNode('id', {}, uintBE(id, 3))),
    ),
    makeNode('hash', {}, sha256(Buffer.concat(ids.map((id) => uintBE(id, 3)))).subarray(0, 20)),
  ]);
}

type Resolved =
  | { kind: 'contact'; contact: ContactImpl; parts: JidParts; isLid: boolean }
  | { kind: 'account'; account: Account; parts: JidParts; isLid: boolean }
  | { kind: 'unknown'; parts: JidParts | undefined };

function resolveUser(env: IqEnv, jid: string | undefined): Resolved {
  const parts = splitJid(jid);
  if (!parts) return { kind: 'unknown', parts };
  const isLid = parts.server === 'lid';
  const account = env.accounts.getByUser(parts.user);
  if (account && (isLid ? account.lidUser === parts.user : account.digits === parts.user)) {
    return { kind: 'account', account, parts, isLid };
  }
  const contact = env.contactByUser(parts.user);
  if (contact && (isLid ? contact.lidUser === parts.user : contact.digits === parts.user)) {
    return { kind: 'contact', contact, parts, isLid };
  }
  return { kind: 'unknown', parts };
}

function bundleForUser(env: IqEnv, user: WANode): WANode {
  const jid = user.attrs.jid;
  const target = resolveUser(env, jid);
  let bundle: PreKeyBundle | undefined;
  if (target.kind === 'contact' && target.parts.device === 0) {
    bundle = target.contact.party.bundle();
  } else if (target.kind === 'account' && target.parts.device === 0) {
    bundle = target.account.phone.bundle();
  } else if (target.kind === 'account' && target.account.device?.id === target.parts.device) {
    bundle = takeDeviceBundle(target.account.device);
  }
  if (!bundle) {
    env.log(`no pre-key bundle for ${jid}`);
    return makeNode('user', { jid }, [makeNode('error', { code: 404, text: 'item-not-found' })]);
  }
  const content: WANode[] = [
    makeNode('registration', {}, uintBE(bundle.registrationId, 4)),
    makeNode('type', {}, Buffer.from([5])),
    makeNode('identity', {}, Buffer.from(bundle.identityKey)),
    makeNode('skey', {}, [
      makeNode('id', {}, uintBE(bundle.signedPreKey.keyId, 3)),
      makeNode('value', {}, Buffer.from(bundle.signedPreKey.publicKey)),
      makeNode('signature', {}, Buffer.from(bundle.signedPreKey.signature)),
    ]),
  ];
  if (bundle.preKey) {
    content.push(
      makeNode('key', {}, [
        makeNode('id', {}, uintBE(bundle.preKey.keyId, 3)),
        makeNode('value', {}, Buffer.from(bundle.preKey.publicKey)),
      ]),
    );
  }
  return makeNode('user', { jid }, content);
}

function answerUsync(env: IqEnv, iq: WANode): WANode {
  const usync = childOf(iq, 'usync');
  const protocols = childrenOf(childOf(usync, 'query')).map((p) => p.tag);
  let failure: number | undefined;
  const users = childrenNamed(childOf(usync, 'list'), 'user').map((user) => {
    let jid = user.attrs.jid;
    if (!jid) {
      const phone = textOf(childOf(user, 'contact'));
      try {
        jid = phone ? pnJid(phoneDigits(phone)) : undefined;
      } catch {
        jid = undefined;
      }
    }
    const target = resolveUser(env, jid);
    if (target.kind === 'contact') failure ??= target.contact.takeSendFault('devicesError');
    return makeNode(
      'user',
      { jid: jid ?? '' },
      protocols.map((protocol) => usyncProtocolResult(env, protocol, target)),
    );
  });
  if (failure !== undefined) {
    env.log(`usync failed on purpose with ${failure}`);
    return iqError(iq, failure, 'internal-server-error');
  }
  return result(iq, [
    makeNode(
      'usync',
      {
        sid: usync?.attrs.sid,
        mode: usync?.attrs.mode,
        context: usync?.attrs.context,
        index: '0',
        last: 'true',
      },
      [
        makeNode(
          'result',
          {},
          protocols.map((p) => makeNode(p, {})),
        ),
        makeNode('list', {}, users),
      ],
    ),
  ]);
}

function usyncProtocolResult(env: IqEnv, protocol: string, target: Resolved): WANode {
  switch (protocol) {
    case 'devices': {
      let devices: WANode[] = [];
      if (target.kind === 'contact') {
        devices = [makeNode('device', { id: 0 })];
      } else if (target.kind === 'account') {
        const companion = target.account.device;
        const isSelf = target.account === env.account;
        // The business's own number must list only its companion: listing the phone (device 0) makes
        // the client encrypt a copy for it as well, and a failure there fails the whole send.
        devices = isSelf
          ? companion
            ? [makeNode('device', { id: companion.id, 'key-index': companion.keyIndex })]
            : []
          : [makeNode('device', { id: 0 })];
      }
      return makeNode('devices', {}, [
        makeNode('device-list', {}, devices),
        makeNode('key-index-list', { ts: unixNow() }),
      ]);
    }
    case 'lid': {
      if (target.kind === 'contact' && !target.isLid)
        return makeNode('lid', { val: lidJid(target.contact.lidUser) });
      if (target.kind === 'account' && !target.isLid)
        return makeNode('lid', { val: lidJid(target.account.lidUser) });
      return makeNode('lid', {});
    }
    case 'contact':
      return makeNode('contact', { type: target.kind === 'unknown' ? 'out' : 'in' });
    case 'status':
      return makeNode(
        'status',
        { t: unixNow() },
        target.kind === 'unknown' ? undefined : 'Hey there! I am using WhatsApp.',
      );
    case 'disappearing_mode':
      return makeNode('disappearing_mode', { duration: 0, t: 0 });
    default:
      return makeNode(protocol, {});
  }
}

function privacySettings(iq: WANode): WANode {
  // readreceipts=all makes readMessages() send type="read" (not "read-self"), which reaches the contact.
  const settings: Record<string, string> = {
    last: 'all',
    online: 'all',
    profile: 'all',
    status: 'all',
    groupadd: 'all',
    readreceipts: 'all',
    calladd: 'all',
    messages: 'all',
  };
  return result(iq, [
    makeNode(
      'privacy',
      {},
      Object.entries(settings).map(([name, value]) => makeNode('category', { name, value })),
    ),
  ]);
}

/** Every collection is empty and complete: the client finishes its initial app-state sync at once. */
function answerAppState(iq: WANode, sync: WANode | undefined): WANode {
  const collections = childrenNamed(sync, 'collection').map((c) =>
    makeNode('collection', {
      name: c.attrs.name,
      version: c.attrs.version ?? '0',
      has_more_patches: 'false',
    }),
  );
  return result(iq, [makeNode('sync', {}, collections)]);
}
