// Shared by the end-to-end tests that put the Cloud API through the whole core: the local Graph API
// server posting its signed webhooks to the core's own intake (routed by phone_number_id, as on a
// headless host), and what `cloud.connect` takes for one of its numbers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCoreRuntime, type CoreRuntime } from '../../src/core/handlers/index';
import { createWebhookRoute, WEBHOOK_PATH } from '../../src/server/webhook-route';
import type { WorkspaceId } from '../../src/shared/types';
import {
  startGraphApiServer,
  type GraphApiServer,
  type SimNumber,
} from '../../src/simulator/graph-api/index';
import type { Core, Harness } from './harness';

export interface CloudCore {
  sim: GraphApiServer;
  core: Core;
  runtime: CoreRuntime;
  /** Meta first, then its way in, then the runtime: a status still in flight must not reach a closed store. */
  close(): Promise<void>;
}

/** A started core with Cloud support (no health checks) on `harness`, and the Graph API server feeding it. */
export async function startCloudCore(harness: Harness): Promise<CloudCore> {
  const sim = await startGraphApiServer({
    statuses: { delayMs: 10 },
    webhooks: { retryBaseMs: 50, retryMaxMs: 500 },
  });
  let intake: Server | undefined;
  let runtime: CoreRuntime | undefined;
  const close = async () => {
    await sim.stop();
    await new Promise((resolve) => (intake === undefined ? resolve(undefined) : intake.close(resolve)));
    runtime?.close();
  };
  try {
    const core = await harness.startCore({ cloudApi: { healthIntervalMs: 0 } });
    runtime = createCoreRuntime(core.app);
    await core.app.start();
    const route = createWebhookRoute(core.app.cloudWebhooks);
    const server = createServer((req, res) => void route(req, res));
    intake = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sim.setWebhookUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}${WEBHOOK_PATH}`);
    return { sim, core, runtime, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** What `cloud.connect` takes for a number of the Graph API server, with its app secret for the intake. */
export const cloudConnectInput = (
  sim: GraphApiServer,
  workspaceId: WorkspaceId,
  number: SimNumber,
  verifyToken: string,
) => ({
  workspaceId,
  phoneNumberId: number.phoneNumberId,
  wabaId: number.wabaId,
  accessToken: number.accessToken,
  appSecret: sim.appSecret,
  verifyToken,
  graphBaseUrl: sim.url,
});
