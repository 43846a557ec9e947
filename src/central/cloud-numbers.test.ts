import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createCloudNumberRegistry,
  listCloudNumberActivity,
  registerCloudNumber,
  type CloudNumberRegistry,
} from './cloud-numbers';
import type { CentralDatabase } from './db/open';
import { createEnrollment } from './enroll';
import { TEST_DIALECTS } from './testing/databases';
import { useTestDatabase } from './testing/suite-database';
import { FIXED_NOW } from './testing/fixtures';

const registration = (phoneNumberId: string, workspaceId: string, appSecret = 'app-secret-one') => ({
  phoneNumberId,
  workspaceId,
  appSecret,
  verifyToken: `verify-${phoneNumberId}`,
});

describe.each(TEST_DIALECTS)('cloud numbers (%s)', (kind) => {
  let database: CentralDatabase;
  let registry: CloudNumberRegistry;
  const key = randomBytes(32);
  let shopA: string;
  let shopB: string;
  useTestDatabase(kind, async (opened) => {
    database = opened;
    registry = createCloudNumberRegistry(database, key);
    const made = async (name: string) =>
      (await createEnrollment(database, { workspaceName: name, validForHours: 1 }, FIXED_NOW)).workspaceId;
    shopA = await made('Chidi Pharmacy');
    shopB = await made('Ada Boutique');
  });

  it('opens each App Secret once, and again only when its row was sealed anew (here or elsewhere)', async () => {
    expect(await registry.register(registration('1001', shopA), FIXED_NOW)).toMatchObject({
      replaced: false,
    });
    const secrets = registry.secrets();
    expect(await secrets.named(database.db, ['1001', '9999'])).toEqual([
      { phoneNumberId: '1001', workspaceId: shopA, appSecret: 'app-secret-one' },
    ]);
    expect(secrets.size).toBe(1);

    // Re-registered here: the opened secret is dropped at once.
    expect(
      await registry.register(registration('1001', shopB, 'app-secret-two'), FIXED_NOW + 1),
    ).toMatchObject({ replaced: true, number: { workspaceId: shopB, createdAt: FIXED_NOW } });
    expect(secrets.size).toBe(0);
    expect(await secrets.named(database.db, ['1001'])).toEqual([
      { phoneNumberId: '1001', workspaceId: shopB, appSecret: 'app-secret-two' },
    ]);

    // Re-registered by another server sharing the database: the new sealed value is opened anew.
    await registerCloudNumber(database, key, registration('1001', shopA, 'app-secret-three'), FIXED_NOW + 2);
    expect(await secrets.named(database.db, ['1001'])).toEqual([
      { phoneNumberId: '1001', workspaceId: shopA, appSecret: 'app-secret-three' },
    ]);

    // Sealed under another server key: listed, but with no usable secret.
    await registerCloudNumber(database, randomBytes(32), registration('2002', shopB), FIXED_NOW);
    expect(await secrets.named(database.db, ['2002'])).toEqual([
      { phoneNumberId: '2002', workspaceId: shopB, appSecret: null },
    ]);

    // Removed by another server: gone from the answers, and from the cache at the next full read.
    await database.db.deleteFrom('cloud_numbers').where('phone_number_id', '=', '2002').execute();
    expect((await secrets.all(database.db)).map((n) => n.phoneNumberId)).toEqual(['1001']);
    expect(secrets.size).toBe(1);

    expect(await registry.remove('1001')).toBe(true);
    expect(secrets.size).toBe(0);
    expect(await registry.remove('1001')).toBe(false);
    expect(await secrets.named(database.db, ['1001'])).toEqual([]);
  });

  it('refuses a number for a workspace that does not exist, and everything when the relay is off', async () => {
    await expect(registry.register(registration('3003', 'nope'), FIXED_NOW)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const off = createCloudNumberRegistry(database, undefined);
    expect(off.enabled).toBe(false);
    expect(() => off.requireEnabled()).toThrow(/relay is off/);
    await expect(off.register(registration('3003', shopA), FIXED_NOW)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
  });

  it('lists each number with its workspace, newest notification and unacknowledged count', async () => {
    await registry.register(registration('4004', shopA), FIXED_NOW);
    await registry.register(registration('5005', shopA), FIXED_NOW);
    await registry.register(registration('6006', shopB), FIXED_NOW);
    const rows = [
      { seq: 1, phone_number_id: '4004', received_at: FIXED_NOW + 10 },
      { seq: 2, phone_number_id: '5005', received_at: FIXED_NOW + 20 },
      { seq: 3, phone_number_id: '4004', received_at: FIXED_NOW + 30 },
      { seq: 4, phone_number_id: '4004', received_at: FIXED_NOW + 40 },
    ];
    await database.db
      .insertInto('relay_notifications')
      .values(rows.map((r) => ({ ...r, workspace_id: shopA, dedupe_key: `k${r.seq}`, payload: '{}' })))
      .execute();
    await database.db
      .updateTable('relay_cursors')
      .set({ last_seq: 4, acked_seq: 2 })
      .where('workspace_id', '=', shopA)
      .execute();

    const listed = await listCloudNumberActivity(database.db);
    expect(listed.map((n) => [n.phoneNumberId, n.workspaceName, n.lastWebhookAt, n.queued] as const)).toEqual(
      [
        ['4004', 'Chidi Pharmacy', FIXED_NOW + 40, 2],
        ['5005', 'Chidi Pharmacy', FIXED_NOW + 20, 0],
        ['6006', 'Ada Boutique', null, 0],
      ],
    );
    expect(await listCloudNumberActivity(database.db, '5005')).toHaveLength(1);
  });
});
