import type { CloudNumberView, CloudStatus, CloudTemplate } from '../../shared/cloud-contract';
import type { PhoneNumber } from '../../shared/dto';
import type { E164, WorkspaceId } from '../../shared/types';
import type { ConnectionEvent, ConnectionManager } from '../connection/connection-manager';
import { SwitchboardError } from '../errors';
import type { Clock } from '../ids';
import type { Logger } from '../log/logger';
import type { SecretBox } from '../secrets/secret-box';
import type { Store } from '../store/open-database';
import { createPhoneNumberRepository } from '../store/repositories/phone-numbers';
import type { CloudApiNumberConfig, CloudApiProvider } from '../whatsapp/cloud-api/cloud-api-provider';
import type { WorkspaceService } from '../workspace/workspace-service';
import { connectCloudNumber, type CloudConnectInput, type CloudContext } from './cloud-connect';
import { createCloudGraph } from './cloud-graph';
import {
  createCloudNumberDirectory,
  createCloudNumberRepository,
  type CloudProfileRecord,
  type StoredCloudNumber,
} from './cloud-store';

export type { CloudConnectInput } from './cloud-connect';

/** What building one number's provider needs: ids, token, and where its Graph API is. */
export interface CloudProviderConfig extends CloudApiNumberConfig {
  baseUrl?: string;
  graphApiVersion?: string;
}

export interface CloudServiceOptions {
  store: Store;
  secrets: SecretBox;
  logger: Logger;
  clock: Clock;
  workspaces: WorkspaceService;
  /** The app's defaults (tests and demo mode point them at the local Graph API server). */
  defaults?: { baseUrl?: string; graphApiVersion?: string };
  requestTimeoutMs?: number;
}

export type CloudService = ReturnType<typeof createCloudService>;

/**
 * Numbers on Meta's WhatsApp Cloud API, as stored: their sealed credentials (so a Cloud number
 * survives a restart), the live check before one is saved, their name and quality rating for the UI,
 * their templates, and what their messages cost (the `pricing` of status webhooks, recorded per
 * message). The tokens stay in memory sealed; one is opened only to build its number's provider.
 */
export function createCloudService(options: CloudServiceOptions) {
  const { store, secrets, logger, clock } = options;
  const ctx: CloudContext = {
    ...options,
    repo: createCloudNumberRepository(store.db, secrets, logger),
    graph: createCloudGraph({
      clock,
      defaults: options.defaults,
      timeoutMs: options.requestTimeoutMs ?? 20_000,
    }),
    configs: new Map(),
    connections: null,
    view: (number, stored) => view(number, stored, liveProvider(number)),
  };
  const liveProvider = (number: PhoneNumber): CloudApiProvider | undefined =>
    ctx.connections === null ? undefined : cloudProviderOf(ctx.connections, number);

  const service = {
    /** Reads every stored Cloud number's credentials: call once before the connections start. */
    async load(): Promise<void> {
      for (const entry of await createCloudNumberDirectory(store.db, secrets, logger).listAll()) {
        ctx.configs.set(entry.numberId, entry);
      }
    },

    /** Wires the connections (built after this service): restarts and the pricing of status webhooks. */
    attach(deps: {
      connections: ConnectionManager;
      subscribe: (listener: (event: ConnectionEvent) => void) => () => void;
    }): () => void {
      ctx.connections = deps.connections;
      return deps.subscribe((event) => recordPricing(ctx, event));
    },

    /** The provider settings of a Cloud number, or undefined when none are stored (it cannot start). */
    configFor(number: PhoneNumber): CloudProviderConfig | undefined {
      const c = ctx.configs.get(number.id);
      if (c === undefined) return undefined;
      return {
        phoneNumberId: c.phoneNumberId,
        wabaId: c.wabaId,
        accessToken: c.accessToken,
        ...(c.graphBaseUrl !== null && { baseUrl: c.graphBaseUrl }),
        ...(c.graphVersion !== null && { graphApiVersion: c.graphVersion }),
      };
    },

    connect: (workspaceId: WorkspaceId, input: CloudConnectInput): Promise<CloudNumberView> =>
      connectCloudNumber(ctx, workspaceId, input),
    status: (workspaceId: WorkspaceId): Promise<CloudStatus> => cloudStatus(ctx, workspaceId),
    templates: (workspaceId: WorkspaceId, e164: E164): Promise<CloudTemplate[]> =>
      templatesOf(ctx, workspaceId, e164),

    /** Whether `number` is on the Cloud API (its messages have a service window). */
    isCloud(number: PhoneNumber): boolean {
      return number.provider === 'cloud-api';
    },

    /** The live provider of a Cloud number, when it runs in this process. */
    provider: liveProvider,
  };
  return service;
}

/** A status webhook's pricing, recorded per message (what the month's messages cost). */
function recordPricing(ctx: CloudContext, event: ConnectionEvent): void {
  if (event.type !== 'ack') return;
  const { ack } = event;
  const pricing = ack.pricing;
  if (pricing === undefined || pricing === null) return;
  ctx.repo
    .recordPricing(
      event.workspaceId,
      { businessNumber: ack.businessNumber, providerMessageId: ack.providerMessageId, pricing },
      ctx.clock.now(),
    )
    .catch((error: unknown) =>
      ctx.logger
        .child({ workspaceId: event.workspaceId })
        .warn('cloud.pricing_failed', 'Could not record what a message cost', { error }),
    );
}

function cloudProviderOf(connections: ConnectionManager, number: PhoneNumber): CloudApiProvider | undefined {
  try {
    const provider = connections.provider(number.workspaceId, number.e164);
    return provider.kind === 'cloud-api' ? (provider as CloudApiProvider) : undefined;
  } catch {
    return undefined;
  }
}

function view(
  number: PhoneNumber,
  stored: StoredCloudNumber,
  live: CloudApiProvider | undefined,
): CloudNumberView {
  const profile = newer(stored.profile, live?.profile() ?? null);
  return {
    numberId: number.id,
    workspaceId: number.workspaceId,
    e164: number.e164,
    phoneNumberId: stored.phoneNumberId,
    wabaId: stored.wabaId,
    displayPhoneNumber: profile?.displayPhoneNumber ?? null,
    verifiedName: profile?.verifiedName ?? null,
    qualityRating: profile?.qualityRating ?? null,
    lastCheckedAt: profile?.checkedAt ?? null,
    tokenHint: stored.tokenHint,
    takesWebhooks: stored.hasAppSecret,
    graphBaseUrl: stored.graphBaseUrl,
    graphVersion: stored.graphVersion,
  };
}

async function cloudStatus(ctx: CloudContext, workspaceId: WorkspaceId): Promise<CloudStatus> {
  const { repo } = ctx;
  const numbers = await ctx.workspaces.listNumbers(workspaceId);
  const stored = new Map((await repo.list(workspaceId)).map((s) => [s.numberId, s]));
  const views: CloudNumberView[] = [];
  for (const number of numbers) {
    const s = stored.get(number.id);
    if (number.provider !== 'cloud-api' || s === undefined) continue;
    const v = ctx.view(number, s);
    // The health check's newer answer is kept, so a restart still shows the last known rating.
    if (v.lastCheckedAt !== null && v.lastCheckedAt !== (s.profile?.checkedAt ?? null)) {
      await repo.recordProfile(workspaceId, number.id, {
        displayPhoneNumber: v.displayPhoneNumber,
        verifiedName: v.verifiedName,
        qualityRating: v.qualityRating,
        checkedAt: v.lastCheckedAt,
      });
    }
    views.push(v);
  }
  const now = new Date(ctx.clock.now());
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const spend = await repo.pricingSummary(workspaceId, monthStart);
  return {
    workspaceId,
    numbers: views,
    spend: {
      monthMessages: spend.messages,
      monthBillable: spend.billable,
      billableByCategory: spend.billableByCategory,
    },
  };
}

/** The approved templates of a Cloud number's WhatsApp Business Account, read live. */
async function templatesOf(
  ctx: CloudContext,
  workspaceId: WorkspaceId,
  e164: E164,
): Promise<CloudTemplate[]> {
  const number = await createPhoneNumberRepository(ctx.store.db).findByE164(workspaceId, e164);
  if (number === undefined) {
    throw new SwitchboardError('NOT_FOUND', `${e164} is not a number of this workspace.`, { e164 });
  }
  if (number.provider !== 'cloud-api') {
    throw new SwitchboardError(
      'VALIDATION',
      `${e164} is linked with a QR code: templates exist only for numbers on the WhatsApp Cloud API.`,
      { e164 },
    );
  }
  const credentials = await ctx.repo.credentials(workspaceId, number.id);
  if (credentials === undefined) {
    throw new SwitchboardError(
      'VALIDATION',
      `${e164} has no stored Cloud API token: connect it again with "Connect an official number".`,
      { e164 },
    );
  }
  return ctx.graph.approvedTemplates(credentials);
}

function newer(a: CloudProfileRecord | null, b: CloudProfileRecord | null): CloudProfileRecord | null {
  if (a === null) return b;
  if (b === null) return a;
  return b.checkedAt >= a.checkedAt ? b : a;
}
