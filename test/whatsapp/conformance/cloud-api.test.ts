// The provider conformance suite against the Cloud API provider and the local Graph API server.
// Webhooks travel for real: the simulator POSTs them, signed, to a small receiver here that verifies
// them (parseWebhook) and hands them to the live core's provider; while no core runs it answers 503,
// and the simulator retries, as Meta does.
import { join } from 'node:path';
import { createSwitchboard } from '../../../src/core/app';
import { makeTempDir } from '../../../src/core/testing/temp-files';
import { startWebhookReceiver } from '../../../src/core/testing/webhook-receiver';
import type {
  CloudApiNumberConfig,
  CloudApiProvider,
} from '../../../src/core/whatsapp/cloud-api/cloud-api-provider';
import type { E164, WorkspaceId } from '../../../src/shared/types';
import { startGraphApiServer, type CloudCustomer } from '../../../src/simulator/graph-api/index';
import { wrapCore, type Core } from '../harness';
import { describeProviderConformance, SHOP, type ConformanceCustomer } from './suite';

describeProviderConformance({
  kind: 'cloud-api',
  async create() {
    const sim = await startGraphApiServer({
      webhooks: { retryBaseMs: 100, retryMaxMs: 1_000 },
      statuses: { delayMs: 20 },
    });
    const number = sim.addNumber({ phone: SHOP, verifiedName: 'Mama Put Kitchen' });
    const { dir, cleanup } = makeTempDir('switchboard-cloud-conformance-');
    /** What the app would keep per number (the token sealed): here, in memory across cores. */
    const stored = new Map<E164, CloudApiNumberConfig>();
    const cores: Core[] = [];
    let live: { core: Core; workspaceId: WorkspaceId } | null = null;
    let linkedTo: WorkspaceId | null = null;

    const liveProvider = (): CloudApiProvider | undefined => {
      if (live === null) return undefined;
      try {
        return live.core.app.connections.provider(live.workspaceId, SHOP) as CloudApiProvider;
      } catch {
        return undefined;
      }
    };
    const receiver = await startWebhookReceiver({
      appSecret: sim.appSecret,
      deliver: (notification) => {
        const provider = liveProvider();
        if (provider === undefined) return false;
        provider.handleWebhook(notification);
        return true;
      },
    });
    sim.setWebhookUrl(receiver.url);

    const customer = (c: CloudCustomer): ConformanceCustomer => ({
      phone: c.phone,
      send: (text) => c.send(SHOP, text),
      sendPhoto: (bytes, caption) => c.sendImage(SHOP, { bytes, ...(caption !== undefined && { caption }) }),
      // Meta posts the very same notification again.
      redeliver: async (id) => {
        const delivery = sim.deliveries.find((d) => d.body.toString().includes(id));
        if (delivery === undefined) throw new Error(`no webhook carried ${id}`);
        sim.replay(delivery);
        await sim.idle();
      },
      replies: () => c.replies.map((r) => ({ id: r.id, text: r.text })),
      files: () =>
        c.replies.flatMap((r) =>
          r.media === undefined
            ? []
            : [
                {
                  kind: r.media.kind,
                  data: r.media.bytes,
                  caption: r.media.caption,
                  fileName: r.media.fileName,
                },
              ],
        ),
      waitForReplies: async (count, timeoutMs = 15_000) => void (await c.waitForReplies(count, timeoutMs)),
    });

    return {
      async startCore() {
        const app = await createSwitchboard({
          dataDir: join(dir, 'data'),
          durability: 'normal',
          whatsapp: {
            livenessIntervalMs: 0,
            cloudApi: { baseUrl: sim.url, healthIntervalMs: 0, numberConfig: (n) => stored.get(n.e164) },
          },
        });
        const core = wrapCore(app);
        const close = core.close.bind(core);
        core.close = async () => {
          if (live?.core === core) live = null;
          await close();
        };
        cores.push(core);
        // A restarted core serves the workspace SHOP was linked to (same data folder).
        live = { core, workspaceId: linkedTo ?? ('' as WorkspaceId) };
        return core;
      },
      async link(core, workspaceId) {
        const added = await core.app.workspaces.addNumber(workspaceId, {
          number: SHOP,
          provider: 'cloud-api',
        });
        stored.set(added.e164, {
          phoneNumberId: number.phoneNumberId,
          wabaId: number.wabaId,
          accessToken: number.accessToken,
        });
        linkedTo = workspaceId;
        live = { core, workspaceId };
        await core.app.connect(workspaceId, added.id);
        await core.waitForStatus(added.e164, 'connected');
        return { workspaceId, phoneNumberId: added.id, e164: added.e164 };
      },
      customer: (phone) => customer(sim.customer(phone)),
      failNextSend(phone, kind) {
        // Transient: Meta's per-number throughput limit. Permanent: outside the 24-hour window.
        sim.failNext({ code: kind === 'transient' ? 130429 : 131047 }, { to: phone });
      },
      // Meta's /media answers "service unavailable" once.
      failNextUpload: () => sim.failNext({ code: 131016 }, { kind: 'upload' }),
      sendAttempts: (phone) =>
        sim.requests.filter((r) => r.kind === 'send' && r.to?.replace(/\D/g, '') === phone.replace(/\D/g, ''))
          .length,
      async cleanup() {
        for (const core of cores) await core.close();
        await sim.stop();
        await receiver.close();
        cleanup();
      },
    };
  },
});
