import type { ConnectionEvent, ConnectionManager } from '../connection/connection-manager';
import { createCloudService, type CloudService } from '../cloud/cloud-service';
import { createDirectWebhooks } from '../cloud/direct-webhooks';
import { createStoredPhoneNumberIds } from '../cloud/stored-phone-number-ids';
import type { Clock, IdGenerator } from '../ids';
import type { Logger } from '../log/logger';
import type { SecretBox } from '../secrets/secret-box';
import type { Store } from '../store/open-database';
import type { Timers } from '../timers';
import { createCloudRelay, type CloudRelayTuning } from '../whatsapp/cloud-api/relay-client';
import type { WorkspaceService } from '../workspace/workspace-service';
import type { CloudApiOptions } from './whatsapp';

export type CloudRelayOptions = CloudRelayTuning & { timers?: Timers; random?: () => number };

/** Cloud numbers' sealed credentials, read before any connection starts (a Cloud number survives a restart). */
export async function loadCloudService(deps: {
  store: Store;
  secrets: SecretBox;
  logger: Logger;
  clock: Clock;
  workspaces: WorkspaceService;
  cloudApi: CloudApiOptions | undefined;
}): Promise<CloudService> {
  const { cloudApi } = deps;
  const cloud = createCloudService({
    store: deps.store,
    secrets: deps.secrets,
    logger: deps.logger,
    clock: deps.clock,
    workspaces: deps.workspaces,
    defaults: {
      ...(cloudApi?.baseUrl !== undefined && { baseUrl: cloudApi.baseUrl }),
      ...(cloudApi?.graphApiVersion !== undefined && { graphApiVersion: cloudApi.graphApiVersion }),
    },
  });
  await cloud.load();
  return cloud;
}

/**
 * Where Cloud numbers' webhooks come in: fetched from the central server the workspace is enrolled
 * with (the relay), or taken directly on a host Meta can reach (the same checks as the relay's
 * intake). The Cloud service is attached to the connections too.
 */
export function createCloudIntake(deps: {
  store: Store;
  secrets: SecretBox;
  logger: Logger;
  clock: Clock;
  newId: IdGenerator;
  cloud: CloudService;
  connections: ConnectionManager;
  subscribe: (listener: (event: ConnectionEvent) => void) => () => void;
  cloudApi: CloudApiOptions | undefined;
  relayOptions: CloudRelayOptions | undefined;
}) {
  const { store, secrets, logger, connections } = deps;
  const detachCloud = deps.cloud.attach({ connections, subscribe: deps.subscribe });
  const relay = createCloudRelay({
    store,
    secrets,
    logger,
    connections,
    newId: deps.newId,
    storedPhoneNumberIds: createStoredPhoneNumberIds({
      store,
      secrets,
      override: deps.cloudApi?.numberConfig,
    }),
    ...deps.relayOptions,
  });
  const cloudWebhooks = createDirectWebhooks({
    store,
    secrets,
    logger,
    connections,
    clock: deps.clock,
    newId: deps.newId,
  });
  return { detachCloud, relay, cloudWebhooks };
}
