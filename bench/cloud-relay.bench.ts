/**
 * Webhook relay intake: signed Cloud API notifications POSTed over real HTTP on 127.0.0.1 to the central
 * server (raw body, HMAC-SHA256 against the registered App Secret, JSON + schema, routing by
 * phone_number_id, one transaction per POST, 200 after commit), against the same rows written straight
 * through the database (the dedupe look-up, the seq counter, the insert; one transaction each, no HTTP,
 * no HMAC) in the same run. Four senders at once, one message per notification, as Meta sends them.
 * Twice: with one registered number, and with 200 (a reseller's numbers, each under its own Meta app,
 * the POSTs spread over all of them), where intake must find the one secret that signed each POST.
 * SQLite with fsync on every commit, and PostgreSQL at 127.0.0.1:5432 when it answers. One JSON line per
 * database and case on stdout; progress on stderr.
 *
 * First, `cloud.relay.forged_cost_ms`: the CPU time intake spends on one forged POST of 3 MiB (the
 * largest body it takes) with 200 numbers registered, each under its own app, against one valid HMAC
 * verify of the same body in the same run. The figure is the worst of a forged POST naming an unknown
 * number, none, or a batch of 50 unknown ones (refused without trying a secret); `.registered_id` is one
 * naming a registered number (one HMAC: the floor for a POST that must be verified), and
 * `everySecretMs` what trying all 200 secrets costs (what intake used to do).
 *
 *   npx tsx bench/cloud-relay.bench.ts [notificationsPerRun]
 */
import { randomBytes } from 'node:crypto';
import type { DatabaseKind } from '../src/central/db/open';
import { createEnrollment } from '../src/central/enroll';
import { newAdminToken, sha256Hex } from '../src/central/secrets';
import { createCentralServer } from '../src/central/server';
import { openTestDatabase, testPostgresUrl, type TestDatabase } from '../src/central/testing/databases';
import { registerCloudNumber } from '../src/central/cloud-numbers';
import { signBody } from '../src/simulator/graph-api/index';
import { createCloudSecrets } from '../src/central/cloud-secrets';
import { RELAY_LIMITS } from '../src/shared/relay-protocol';
import { intakeWebhook } from '../src/central/webhook-intake';
import { verifyWebhookSignature } from '../src/core/whatsapp/cloud-api/webhook';

const COUNT = Number(process.argv[2] ?? 4_000);
const SENDERS = 4;
const RUNS = 3;
/** Registered numbers in each case: the figure's name carries it when it is not 1. */
const CASES = [1, 200];

const phoneNumberIdOf = (k: number): string => String(106540352242922 + k);
const appSecretOf = (k: number): string => `bench-app-secret-${k}-0123456789`;

function body(i: number, numbers: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: '15550783881',
                  phone_number_id: phoneNumberIdOf(i % numbers),
                },
                contacts: [
                  {
                    profile: { name: `Customer ${i % 50}` },
                    wa_id: `23480${String(i % 50).padStart(8, '0')}`,
                  },
                ],
                messages: [
                  {
                    from: `23480${String(i % 50).padStart(8, '0')}`,
                    id: `wamid.bench${i}.${randomBytes(6).toString('hex')}`,
                    timestamp: String(Math.floor(Date.now() / 1000)),
                    type: 'text',
                    text: { body: `What time do you open on Sunday? (${i})` },
                  },
                ],
              },
            },
          ],
        },
      ],
    }),
  );
}

async function prepare(
  kind: DatabaseKind,
  numbers: number,
): Promise<{ test: TestDatabase; key: Buffer; workspaceId: string }> {
  const test = await openTestDatabase(kind);
  const key = randomBytes(32);
  const { workspaceId } = await createEnrollment(
    test.database,
    { workspaceName: 'Bench', validForHours: 1 },
    Date.now(),
  );
  for (let k = 0; k < numbers; k++) {
    await registerCloudNumber(
      test.database,
      key,
      {
        phoneNumberId: phoneNumberIdOf(k),
        workspaceId,
        appSecret: appSecretOf(k),
        verifyToken: `bench-verify-token-${k}`,
      },
      Date.now(),
    );
  }
  return { test, key, workspaceId };
}

async function inParallel(count: number, fn: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      for (let i = next++; i < count; i = next++) await fn(i);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function overHttp(kind: DatabaseKind, numbers: number): Promise<number> {
  const { test, key } = await prepare(kind, numbers);
  const server = createCentralServer({
    database: test.database,
    adminToken: newAdminToken(),
    secretKey: key,
  });
  try {
    const { url } = await server.listen(0, '127.0.0.1');
    const bodies = Array.from({ length: COUNT }, (_, i) => body(i, numbers));
    return await inParallel(COUNT, async (i) => {
      const response = await fetch(`${url}/webhooks/whatsapp`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Hub-Signature-256': signBody(bodies[i]!, appSecretOf(i % numbers)),
        },
        body: bodies[i],
      });
      const answer = (await response.json()) as { stored?: number };
      if (response.status !== 200 || answer.stored !== 1)
        throw new Error(`webhook refused: ${response.status} ${JSON.stringify(answer)}`);
    });
  } finally {
    await server.close();
    await test.cleanup();
  }
}

async function direct(kind: DatabaseKind, numbers: number): Promise<number> {
  const { test, workspaceId } = await prepare(kind, numbers);
  try {
    const payloads = Array.from({ length: COUNT }, (_, i) => body(i, numbers).toString('utf8'));
    return await inParallel(COUNT, async (i) => {
      const payload = payloads[i]!;
      const dedupeKey = sha256Hex(payload);
      await test.database.transaction(async (trx) => {
        const seen = await trx
          .selectFrom('relay_notifications')
          .select('seq')
          .where('workspace_id', '=', workspaceId)
          .where('dedupe_key', '=', dedupeKey)
          .executeTakeFirst();
        if (seen !== undefined) throw new Error('duplicate in the bench data');
        const { last_seq: seq } = await trx
          .updateTable('relay_cursors')
          .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
          .where('workspace_id', '=', workspaceId)
          .returning('last_seq')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('relay_notifications')
          .values({
            workspace_id: workspaceId,
            seq,
            phone_number_id: phoneNumberIdOf(i % numbers),
            dedupe_key: dedupeKey,
            payload,
            received_at: Date.now(),
          })
          .execute();
      });
    });
  } finally {
    await test.cleanup();
  }
}

async function measure(kind: DatabaseKind, numbers: number): Promise<void> {
  const label = `${kind}, ${numbers} number${numbers === 1 ? '' : 's'}`;
  log(`${label}: warming up`);
  await overHttp(kind, numbers);
  await direct(kind, numbers);
  let best = 0;
  let baseline = 0;
  for (let run = 1; run <= RUNS; run++) {
    const viaHttp = await overHttp(kind, numbers);
    const viaDb = await direct(kind, numbers);
    log(`${label} run ${run}: HTTP ${Math.round(viaHttp)}/s, direct ${Math.round(viaDb)}/s`);
    best = Math.max(best, viaHttp);
    baseline = Math.max(baseline, viaDb);
  }
  const figure = {
    name: `cloud.relay.intake.${kind}${numbers === 1 ? '' : `.numbers${numbers}`}`,
    value: Math.round(best),
    unit: 'notifications/s',
    baseline: Math.round(baseline),
    ratio: Math.round((best / baseline) * 100) / 100,
    senders: SENDERS,
    registeredNumbers: numbers,
  };
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

/** A notification padded to `bytes` with one long text, naming these numbers (none: no metadata). */
function forgedBody(bytes: number, phoneNumberIds: readonly string[]): Buffer {
  const changes = phoneNumberIds.map((id) => ({
    field: 'messages',
    value: { messaging_product: 'whatsapp', metadata: { phone_number_id: id } },
  }));
  const shell = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes, pad: '' }],
  });
  return Buffer.from(shell.replace('"pad":""', `"pad":"${'x'.repeat(bytes - shell.length)}"`));
}

/** Median CPU milliseconds (user + system) of `fn` over `runs` calls. */
async function cpuMs(runs: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(before);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function forgedCost(): Promise<void> {
  const numbers = 200;
  const { test, key } = await prepare('sqlite', numbers);
  try {
    const secrets = createCloudSecrets(key);
    const bytes = RELAY_LIMITS.maxWebhookBytes - 1024;
    const forged = (body: Buffer) => {
      const signature = signBody(body, 'forged');
      return () =>
        intakeWebhook(test.database, secrets, body, signature, Date.now()).then(
          () => {
            throw new Error('a forged POST was accepted');
          },
          (error: { status?: number }) => {
            if (error.status !== 401) throw error as Error;
          },
        );
    };
    const unknown = forgedBody(bytes, ['999999999']);
    const cases = {
      unknown: unknown,
      absent: forgedBody(bytes, []),
      batch: forgedBody(
        bytes,
        Array.from({ length: 50 }, (_, k) => String(900000000 + k)),
      ),
    };
    const registered = forgedBody(bytes, [phoneNumberIdOf(7)]);
    const valid = signBody(unknown, appSecretOf(0));
    const runs = 30;
    await forged(registered)(); // opens the secret, warms up
    const baseline = await cpuMs(runs, () => verifyWebhookSignature(unknown, valid, appSecretOf(0)));
    const each: Record<string, number> = {};
    for (const [name, body] of Object.entries(cases)) each[name] = await cpuMs(runs, forged(body));
    const registeredMs = await cpuMs(runs, forged(registered));
    const everySecretMs = await cpuMs(3, () => {
      for (let k = 0; k < numbers; k++) verifyWebhookSignature(unknown, valid, appSecretOf(k + 1));
    });
    const worst = Math.max(...Object.values(each));
    const round = (ms: number) => Math.round(ms * 1000) / 1000;
    const line = (name: string, value: number, extra: object) =>
      process.stdout.write(
        `${JSON.stringify({
          name,
          value: round(value),
          unit: 'ms CPU per POST',
          baseline: round(baseline),
          baselineIs: 'one valid HMAC verify of the same body',
          ratio: Math.round((value / baseline) * 1000) / 1000,
          registeredNumbers: numbers,
          bodyBytes: bytes,
          ...extra,
        })}\n`,
      );
    line('cloud.relay.forged_cost_ms', worst, {
      cases: Object.fromEntries(Object.entries(each).map(([k, v]) => [k, round(v)])),
      everySecretMs: round(everySecretMs),
      goalMs: 1,
    });
    line('cloud.relay.forged_cost_ms.registered_id', registeredMs, {});
  } finally {
    await test.cleanup();
  }
}

async function main(): Promise<void> {
  await forgedCost();
  if (process.env.CLOUD_RELAY_BENCH === 'forged') return;
  for (const numbers of CASES) await measure('sqlite', numbers);
  try {
    await testPostgresUrl();
  } catch (error) {
    log(`skipping cloud.relay.intake.postgres: ${(error as Error).message}`);
    return;
  }
  for (const numbers of CASES) await measure('postgres', numbers);
}

function log(text: string): void {
  process.stderr.write(`[cloud.relay.intake] ${text}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
