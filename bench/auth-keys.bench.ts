/**
 * whatsapp.auth_keys.ops_per_s: what sealing the WhatsApp session keys at rest costs. The Signal key
 * store's traffic (Baileys' 812 pre-keys at pairing, then a session update read and written per message)
 * through the real repository and SQLite file, with the key-file SecretBox (AES-256-GCM) against the
 * same repository with a box that stores the text as is, in the same run.
 *
 *   npx tsx bench/auth-keys.bench.ts
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BufferJSON } from '@whiskeysockets/baileys';
import { createFileKeySecretBox } from '../src/core/secrets/file-key-secret-box';
import type { SecretBox } from '../src/core/secrets/secret-box';
import { createPhoneNumberRepository } from '../src/core/store/repositories/phone-numbers';
import { createWaAuthRepository } from '../src/core/store/repositories/wa-auth';
import { insertTestWorkspace } from '../src/core/testing/fixtures';
import { openTempStore } from '../src/core/testing/temp-files';
import type { E164, WorkspaceId } from '../src/shared/types';

const WS = 'ws' as WorkspaceId;
const SESSIONS = 1_000;
const RUNS = 3;
const plainBox: SecretBox = { seal: (text) => text, open: (text) => text };

/** A Signal session record is a few KB of JSON; pre-keys are two 32-byte keys. */
const session = () => JSON.stringify({ record: randomBytes(1_800) }, BufferJSON.replacer);
const preKey = () =>
  JSON.stringify({ public: randomBytes(33), private: randomBytes(32) }, BufferJSON.replacer);

async function run(sealed: boolean): Promise<number> {
  const { store, dir, cleanup } = await openTempStore();
  try {
    await insertTestWorkspace(store.db, WS, { name: 'Shop' });
    await createPhoneNumberRepository(store.db).insert(
      WS,
      { id: 'pn', e164: '+2348031234567' as E164, provider: 'baileys', status: 'connected', label: null },
      1,
    );
    const box = sealed ? createFileKeySecretBox({ keyPath: join(dir, 'secrets.key') }) : plainBox;
    const repo = createWaAuthRepository(store.db, box);
    const started = performance.now();
    let ops = 0;
    await repo.setKeys(
      WS,
      'pn',
      Array.from({ length: 812 }, (_, i) => ({ type: 'pre-key', id: String(i), value: preKey() })),
    );
    ops += 812;
    // A message: read the sender's session, write it back changed (what Signal does per message).
    for (let i = 0; i < SESSIONS; i++) {
      const id = `contact${i % 200}.0`;
      await repo.getKeys(WS, 'pn', 'session', [id]);
      await repo.setKeys(WS, 'pn', [{ type: 'session', id, value: session() }]);
      ops += 2;
    }
    return ops / ((performance.now() - started) / 1000);
  } finally {
    await cleanup();
  }
}

const best = async (sealed: boolean) => {
  let top = 0;
  for (let i = 0; i < RUNS; i++) top = Math.max(top, await run(sealed));
  return top;
};
const plain = await best(false);
const sealedOps = await best(true);
console.log(
  JSON.stringify({
    name: 'whatsapp.auth_keys.ops_per_s',
    value: Math.round(sealedOps),
    unit: 'key ops/s',
    baseline: Math.round(plain),
    ratio: Math.round((sealedOps / plain) * 100) / 100,
  }),
);
