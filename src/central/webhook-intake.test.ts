// Forged webhook POSTs (issue 14 #3): intake routes by phone_number_id before any HMAC, verifies at most
// once, and refuses a POST naming no registered number without trying a single secret, however many
// numbers are registered.
import { createHmac, randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { registerCloudNumber } from './cloud-numbers';
import { createCloudSecrets, type CloudSecrets } from './cloud-secrets';
import type { CentralDatabase } from './db/open';
import { createEnrollment } from './enroll';
import { TEST_DIALECTS } from './testing/databases';
import { useTestDatabase } from './testing/suite-database';
import { FIXED_NOW } from './testing/fixtures';
import { intakeWebhook, namedPhoneNumberIds } from './webhook-intake';

const hmacs = vi.hoisted(() => ({ count: 0 }));
vi.mock('../core/whatsapp/cloud-api/webhook', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../core/whatsapp/cloud-api/webhook')>();
  return {
    ...actual,
    verifyWebhookSignature: (...args: Parameters<typeof actual.verifyWebhookSignature>) => {
      hmacs.count++;
      return actual.verifyWebhookSignature(...args);
    },
  };
});

const NUMBERS = 200;
const idOf = (k: number) => String(106540352242922 + k);
const secretOf = (k: number) => `app-secret-${k}-0123456789`;
const sign = (body: Buffer, secret: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function notification(...phoneNumberIds: string[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: phoneNumberIds.map((id, i) => ({
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: id },
              messages: [
                { from: '2348031234567', id: `wamid.${id}.${i}`, timestamp: '1749416383', type: 'text' },
              ],
            },
          })),
        },
      ],
    }),
  );
}

describe.each(TEST_DIALECTS)('webhook intake against forged POSTs (%s)', (kind) => {
  let database: CentralDatabase;
  let secrets: CloudSecrets;
  const key = randomBytes(32);
  useTestDatabase(
    kind,
    async (opened) => {
      database = opened;
      secrets = createCloudSecrets(key);
      const { workspaceId } = await createEnrollment(
        database,
        { workspaceName: 'Reseller', validForHours: 1 },
        FIXED_NOW,
      );
      for (let k = 0; k < NUMBERS; k++)
        await registerCloudNumber(
          database,
          key,
          { phoneNumberId: idOf(k), workspaceId, appSecret: secretOf(k), verifyToken: `verify-${k}` },
          FIXED_NOW,
        );
    },
    60_000,
  );
  beforeEach(() => void (hmacs.count = 0));

  const intake = (body: Buffer, signature: string) =>
    intakeWebhook(database, secrets, body, signature, FIXED_NOW);
  const forged = (body: Buffer) => sign(body, 'not-any-registered-secret');

  it('refuses a POST naming an unknown number, or none, without trying any secret', async () => {
    for (const body of [
      notification('999999999'),
      Buffer.from('{"object":"whatsapp_business_account","entry":[]}'),
      Buffer.from('{"object":"page","entry":[{"x":"' + 'y'.repeat(100_000) + '"}]}'),
      Buffer.from('not json at all'),
    ]) {
      await expect(intake(body, forged(body))).rejects.toMatchObject({ status: 401 });
      // Even signed with a registered app's secret: it names none of that app's numbers.
      await expect(intake(body, sign(body, secretOf(0)))).rejects.toMatchObject({ status: 401 });
    }
    expect(hmacs.count).toBe(0);
  });

  it('verifies a batch naming many numbers once, and routes it only under the secret that signed it', async () => {
    const batch = notification(...Array.from({ length: 50 }, (_, k) => idOf(k)), '999999999');
    await expect(intake(batch, forged(batch))).rejects.toMatchObject({ status: 401 });
    expect(hmacs.count).toBe(1);
    // Signed by number 0's app: its change is stored, the other apps' and the unknown one unroutable.
    const result = await intake(batch, sign(batch, secretOf(0)));
    expect(result).toMatchObject({ stored: 1, unroutable: 50 });
    expect(hmacs.count).toBe(2);
  });

  it('signed, naming a registered number, but not a notification: 400 after one HMAC', async () => {
    const body = Buffer.from(`{"object":"page","metadata":{"phone_number_id":"${idOf(3)}"}}`);
    await expect(intake(body, sign(body, secretOf(3)))).rejects.toMatchObject({ status: 400 });
    expect(hmacs.count).toBe(1);
  });

  it('scans the raw bytes for the numbers named, bounded, without parsing JSON', () => {
    expect(namedPhoneNumberIds(notification('1', '2', '1'))).toEqual(['1', '2']);
    expect(namedPhoneNumberIds(Buffer.from('{"phone_number_id" : "7", "phone_number_id":8}'))).toEqual(['7']);
    const many = Buffer.from(Array.from({ length: 5_000 }, (_, k) => `"phone_number_id":"${k}"`).join(','));
    expect(namedPhoneNumberIds(many)).toHaveLength(100);
  });
});
