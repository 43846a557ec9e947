import { proto } from '@whiskeysockets/baileys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { E164, WorkspaceId } from '../../../shared/types';
import { createLogger } from '../../log/logger';
import type { Store } from '../../store/open-database';
import { createPhoneNumberRepository } from '../../store/repositories/phone-numbers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createFileKeySecretBox } from '../../secrets/file-key-secret-box';
import type { SecretBox } from '../../secrets/secret-box';
import { createWaAuthRepository, sealPlainAuthRows } from '../../store/repositories/wa-auth';
import { openTempStore } from '../../testing/temp-files';
import { loadSqliteAuthState } from './sqlite-auth-state';
import { insertTestWorkspace } from '../../testing/fixtures';

const WS = 'ws' as WorkspaceId;
let store: Store;
let dir: string;
let box: SecretBox;
let cleanup: () => Promise<void>;
const logger = createLogger({ sinks: [] });

beforeEach(async () => {
  ({ store, dir, cleanup } = await openTempStore());
  box = createFileKeySecretBox({ dataDir: dir });
  await insertTestWorkspace(store.db, WS, { name: 'Shop' });
  await createPhoneNumberRepository(store.db).insert(
    WS,
    { id: 'pn', e164: '+2348031234567' as E164, provider: 'baileys', status: 'unpaired', label: null },
    1,
  );
});
afterEach(() => cleanup());

const load = () =>
  loadSqliteAuthState({
    repo: createWaAuthRepository(store.db, box),
    workspaceId: WS,
    phoneNumberId: 'pn',
    logger,
    now: () => 5,
  });

describe('SQLite auth state', () => {
  it('starts with fresh, unpaired credentials and persists them byte for byte', async () => {
    const first = await load();
    expect(first.isPaired()).toBe(false);
    first.state.creds.account = {
      details: Buffer.from([1, 2, 3]),
      accountSignatureKey: Buffer.from([4]),
      accountSignature: Buffer.from([5]),
      deviceSignature: Buffer.from([6]),
    };
    await first.saveCreds();
    const second = await load();
    expect(second.isPaired()).toBe(true);
    expect(Buffer.from(second.state.creds.noiseKey.private)).toEqual(
      Buffer.from(first.state.creds.noiseKey.private),
    );
    expect(Buffer.from(second.state.creds.signedIdentityKey.public)).toEqual(
      Buffer.from(first.state.creds.signedIdentityKey.public),
    );
    expect(second.state.creds.registrationId).toBe(first.state.creds.registrationId);
  });

  it('stores, reads and deletes keys by type and id, with Buffers intact', async () => {
    const { state } = await load();
    await state.keys.set({
      'pre-key': {
        '1': { public: Buffer.from('pub1'), private: Buffer.from('priv1') },
        '2': { public: Buffer.from('p2'), private: Buffer.from('q2') },
      },
      session: { 'abc.0': Buffer.from('session-bytes') },
    });
    const keys = await state.keys.get('pre-key', ['1', '2', '3']);
    expect(Object.keys(keys).sort()).toEqual(['1', '2']);
    expect(Buffer.from(keys['1']!.private).toString()).toBe('priv1');
    await state.keys.set({ 'pre-key': { '1': null } });
    expect(Object.keys(await state.keys.get('pre-key', ['1', '2']))).toEqual(['2']);
    expect(Buffer.from((await state.keys.get('session', ['abc.0']))['abc.0']!).toString()).toBe(
      'session-bytes',
    );
  });

  it('revives app-state sync keys as protobuf objects', async () => {
    const { state } = await load();
    await state.keys.set({
      'app-state-sync-key': { k1: { keyData: Buffer.from('kd'), timestamp: 42 } },
    });
    const { k1 } = await state.keys.get('app-state-sync-key', ['k1']);
    expect(k1).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(Buffer.from(k1!.keyData!).toString()).toBe('kd');
  });

  it('a batch with a value that cannot be stored changes nothing', async () => {
    const { state } = await load();
    await state.keys.set({ 'pre-key': { '1': { public: Buffer.from('a'), private: Buffer.from('b') } } });
    await expect(
      state.keys.set({ 'pre-key': { '1': null, '2': { public: Buffer.from('c'), private: 10n } as never } }),
    ).rejects.toThrow(/BigInt/);
    expect(Object.keys(await state.keys.get('pre-key', ['1', '2']))).toEqual(['1']);
  });

  it('reads hundreds of pre-keys in one call (Baileys uploads 812 at pairing)', async () => {
    const { state } = await load();
    const batch: Record<string, { public: Buffer; private: Buffer }> = {};
    for (let i = 1; i <= 812; i++)
      batch[String(i)] = { public: Buffer.from([i % 256]), private: Buffer.from([i % 7]) };
    await state.keys.set({ 'pre-key': batch });
    const ids = Object.keys(batch);
    expect(Object.keys(await state.keys.get('pre-key', ids))).toHaveLength(812);
  });

  it('clear forgets the session so the next start asks to pair', async () => {
    const first = await load();
    first.state.creds.account = {};
    await first.saveCreds();
    await first.state.keys.set({ session: { s: Buffer.from('x') } });
    await first.state.keys.clear!();
    const second = await load();
    expect(second.isPaired()).toBe(false);
    expect(await second.state.keys.get('session', ['s'])).toEqual({});
  });

  it('refuses unreadable stored credentials instead of silently starting a new identity', async () => {
    await createWaAuthRepository(store.db, box).writeCreds(WS, 'pn', '{not json', 1);
    await expect(load()).rejects.toThrow(/cannot be read/);
  });

  it('reports the LID mappings Baileys stores, after they commit, and nothing else', async () => {
    const seen: { lid: string; pn: string }[][] = [];
    const state = await loadSqliteAuthState({
      repo: createWaAuthRepository(store.db, box),
      workspaceId: WS,
      phoneNumberId: 'pn',
      logger,
      now: () => 5,
      onLidMappings: (pairs) => seen.push(pairs),
    });
    await state.state.keys.set({ session: { 'x.0': Buffer.from([1]) } });
    await state.state.keys.set({
      'lid-mapping': { '2348031234567': '123456789012345', '123456789012345_reverse': '2348031234567' },
    });
    expect(seen).toEqual([[{ lid: '123456789012345@lid', pn: '2348031234567@s.whatsapp.net' }]]);
    expect(await state.state.keys.get('lid-mapping', ['2348031234567'])).toEqual({
      '2348031234567': '123456789012345',
    });
  });

  describe('sealed at rest', () => {
    /** The database file and its write-ahead log, as a thief with a copy of the data folder reads them. */
    const fileBytes = (): string =>
      ['switchboard.db', 'switchboard.db-wal']
        .map((name) => {
          try {
            return readFileSync(join(dir, name)).toString('latin1');
          } catch {
            return '';
          }
        })
        .join('');
    const MARKER = 'PRIVATE-KEY-MARKER-0123456789';

    it('keeps no credential or key material in clear in the file', async () => {
      const { state, saveCreds } = await load();
      await saveCreds();
      await state.keys.set({
        'pre-key': { '7': { public: Buffer.from('pub'), private: Buffer.from(MARKER) } },
        session: { 'abc.0': Buffer.from(MARKER) },
      });
      await store.exclusive((sqlite) => sqlite.pragma('wal_checkpoint(TRUNCATE)'));
      const bytes = fileBytes();
      const noisePrivate = Buffer.from(state.creds.noiseKey.private).toString('base64');
      const identityPrivate = Buffer.from(state.creds.signedIdentityKey.private).toString('base64');
      for (const secret of [noisePrivate, identityPrivate, Buffer.from(MARKER).toString('base64'), MARKER])
        expect(bytes.includes(secret)).toBe(false);
      // And everything reads back as it was written.
      const again = await load();
      expect(Buffer.from(again.state.creds.noiseKey.private).toString('base64')).toBe(noisePrivate);
      const keys = await again.state.keys.get('pre-key', ['7']);
      expect(Buffer.from(keys['7']!.private).toString()).toBe(MARKER);
    });

    it('a sealed row opened with another key fails loudly instead of becoming a new identity', async () => {
      const { saveCreds } = await load();
      await saveCreds();
      const other = createFileKeySecretBox({ keyPath: join(dir, 'other.key') });
      await expect(
        loadSqliteAuthState({
          repo: createWaAuthRepository(store.db, other),
          workspaceId: WS,
          phoneNumberId: 'pn',
          logger,
          now: () => 5,
        }),
      ).rejects.toThrow(/could not be decrypted/);
    });

    it('seals the plain rows an older version wrote, once, and leaves no plain copy behind', async () => {
      const plainKey = JSON.stringify({ private: Buffer.from(MARKER).toString('base64'), marker: MARKER });
      await sql`insert into wa_auth_creds (phone_number_id, workspace_id, creds, updated_at)
        values ('pn', ${WS}, ${JSON.stringify({ registrationId: 9, note: MARKER })}, 1)`.execute(store.db);
      await sql`insert into wa_auth_keys (phone_number_id, workspace_id, type, key_id, value)
        values ('pn', ${WS}, 'session', 's1', ${plainKey}), ('pn', ${WS}, 'lid-mapping', 'x', '"123"')`.execute(
        store.db,
      );
      await store.exclusive((sqlite) => sqlite.pragma('wal_checkpoint(TRUNCATE)'));
      expect(fileBytes().includes(MARKER)).toBe(true);

      expect(await sealPlainAuthRows(store, box)).toBe(3);
      expect(await sealPlainAuthRows(store, box)).toBe(0);
      expect(fileBytes().includes(MARKER)).toBe(false);
      const repo = createWaAuthRepository(store.db, box);
      expect(JSON.parse((await repo.readCreds(WS, 'pn'))!)).toEqual({ registrationId: 9, note: MARKER });
      expect(await repo.getKeys(WS, 'pn', 'session', ['s1'])).toEqual({ s1: plainKey });
      expect(await repo.getKeys(WS, 'pn', 'lid-mapping', ['x'])).toEqual({ x: '"123"' });
    });
  });
});
