import type { CloudNumberView, CloudStatus, CloudTemplate } from '../../shared/cloud-contract';
import type { PhoneNumber } from '../../shared/dto';
import type { E164, WorkspaceId } from '../../shared/types';
import type { ConnectionEvent, ConnectionManager } from '../connection/connection-manager';
import { isSwitchboardError, SwitchboardError } from '../errors';
import type { Clock } from '../ids';
import type { Logger } from '../log/logger';
import { normalizePhoneNumber } from '../phone/normalize-phone-number';
import type { SecretBox } from '../secrets/secret-box';
import type { Store } from '../store/open-database';
import { createPhoneNumberRepository } from '../store/repositories/phone-numbers';
import {
  DEFAULT_GRAPH_API_VERSION,
  DEFAULT_GRAPH_BASE_URL,
  type CloudApiNumberConfig,
  type CloudApiProvider,
} from '../whatsapp/cloud-api/cloud-api-provider';
import { createGraphClient, GraphApiError } from '../whatsapp/cloud-api/graph-client';
import { classifyGraphError } from '../whatsapp/cloud-api/graph-errors';
import { listTemplates, type MessageTemplate } from '../whatsapp/cloud-api/templates-and-media';
import type { WorkspaceService } from '../workspace/workspace-service';
import { templateShape } from './template-parameters';
import {
  createCloudNumberDirectory,
  createCloudNumberRepository,
  type CloudCredentials,
  type CloudProfileRecord,
  type StoredCloudNumber,
} from './cloud-store';

/** What building one number's provider needs: ids, token, and where its Graph API is. */
export interface CloudProviderConfig extends CloudApiNumberConfig {
  baseUrl?: string;
  graphApiVersion?: string;
}

export interface CloudConnectInput {
  phoneNumberId: string;
  wabaId: string;
  accessToken: string;
  appSecret?: string | undefined;
  verifyToken?: string | undefined;
  graphBaseUrl?: string | undefined;
  graphVersion?: string | undefined;
  label?: string | undefined;
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
  const { store, secrets, logger, clock, workspaces } = options;
  const repo = createCloudNumberRepository(store.db, secrets, logger);
  const timeoutMs = options.requestTimeoutMs ?? 20_000;
  /** Per number row id: the credentials the provider is built from. Filled by load() and connect(). */
  const configs = new Map<string, CloudCredentials>();
  let connections: ConnectionManager | null = null;

  const baseUrlOf = (c: { graphBaseUrl: string | null }) =>
    c.graphBaseUrl ?? options.defaults?.baseUrl ?? DEFAULT_GRAPH_BASE_URL;
  const versionOf = (c: { graphVersion: string | null }) =>
    c.graphVersion ?? options.defaults?.graphApiVersion ?? DEFAULT_GRAPH_API_VERSION;

  function graphFor(c: CloudCredentials) {
    return createGraphClient({
      baseUrl: baseUrlOf(c),
      version: versionOf(c),
      accessToken: c.accessToken,
      timeoutMs,
    });
  }

  function view(number: PhoneNumber, stored: StoredCloudNumber): CloudNumberView {
    const live = liveProvider(number);
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

  function liveProvider(number: PhoneNumber): CloudApiProvider | undefined {
    if (connections === null) return undefined;
    try {
      const provider = connections.provider(number.workspaceId, number.e164);
      return provider.kind === 'cloud-api' ? (provider as CloudApiProvider) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The live check: `GET /{phone_number_id}` with the token (and the WABA's templates, which proves the
   * WABA id and the management permission). Throws a SwitchboardError that says what to fix.
   */
  async function check(input: CloudCredentials): Promise<CloudProfileRecord & { e164: E164 }> {
    const graph = graphFor(input);
    let answer: { display_phone_number?: string; verified_name?: string; quality_rating?: string };
    try {
      answer = await graph.get(`/${input.phoneNumberId}`, {
        fields: 'display_phone_number,verified_name,quality_rating',
      });
    } catch (error) {
      throw checkFailure(error, 'phone', input, baseUrlOf(input));
    }
    try {
      await graph.get(`/${input.wabaId}/message_templates`, { fields: 'name', limit: '1' });
    } catch (error) {
      throw checkFailure(error, 'waba', input, baseUrlOf(input));
    }
    const display = answer.display_phone_number ?? '';
    const normalized = display === '' ? null : normalizePhoneNumber(display, 'NG');
    if (normalized?.ok !== true) {
      throw new SwitchboardError(
        'VALIDATION',
        `Meta did not say which phone number ${input.phoneNumberId} is ("${display}"): check the phone number ID in Meta's WhatsApp Manager.`,
        { field: 'phoneNumberId' },
      );
    }
    return {
      e164: normalized.value,
      displayPhoneNumber: display,
      verifiedName: answer.verified_name ?? null,
      qualityRating: answer.quality_rating ?? null,
      checkedAt: clock.now(),
    };
  }

  const service = {
    /** Reads every stored Cloud number's credentials: call once before the connections start. */
    async load(): Promise<void> {
      for (const entry of await createCloudNumberDirectory(store.db, secrets, logger).listAll()) {
        configs.set(entry.numberId, entry);
      }
    },

    /** Wires the connections (built after this service): restarts and the pricing of status webhooks. */
    attach(deps: {
      connections: ConnectionManager;
      subscribe: (listener: (event: ConnectionEvent) => void) => () => void;
    }): () => void {
      connections = deps.connections;
      return deps.subscribe((event) => {
        if (event.type !== 'ack' || event.ack.pricing === undefined || event.ack.pricing === null) return;
        const { ack } = event;
        const pricing = ack.pricing!;
        repo
          .recordPricing(
            event.workspaceId,
            { businessNumber: ack.businessNumber, providerMessageId: ack.providerMessageId, pricing },
            clock.now(),
          )
          .catch((error: unknown) =>
            logger
              .child({ workspaceId: event.workspaceId })
              .warn('cloud.pricing_failed', 'Could not record what a message cost', { error }),
          );
      });
    },

    /** The provider settings of a Cloud number, or undefined when none are stored (it cannot start). */
    configFor(number: PhoneNumber): CloudProviderConfig | undefined {
      const c = configs.get(number.id);
      if (c === undefined) return undefined;
      return {
        phoneNumberId: c.phoneNumberId,
        wabaId: c.wabaId,
        accessToken: c.accessToken,
        ...(c.graphBaseUrl !== null && { baseUrl: c.graphBaseUrl }),
        ...(c.graphVersion !== null && { graphApiVersion: c.graphVersion }),
      };
    },

    async connect(workspaceId: WorkspaceId, input: CloudConnectInput): Promise<CloudNumberView> {
      await workspaces.get(workspaceId);
      const credentials: CloudCredentials = {
        phoneNumberId: input.phoneNumberId,
        wabaId: input.wabaId,
        accessToken: input.accessToken,
        appSecret: input.appSecret ?? null,
        verifyToken: input.verifyToken ?? null,
        graphBaseUrl: input.graphBaseUrl?.replace(/\/+$/, '') ?? null,
        graphVersion: input.graphVersion ?? null,
      };
      const log = logger.child({ workspaceId });
      const profile = await check(credentials).catch((error: unknown) => {
        log.warn(
          'cloud.check_failed',
          `Connecting Cloud number ${input.phoneNumberId} failed: ${String((error as Error).message)}`,
          { phoneNumberId: input.phoneNumberId, wabaId: input.wabaId },
        );
        throw error;
      });

      // The number is the one Meta names. Already here with a QR link: it moves, keeping its history.
      const phones = createPhoneNumberRepository(store.db);
      let number = await phones.findByE164(workspaceId, profile.e164);
      const added = number === undefined;
      const switched = number !== undefined && number.provider !== 'cloud-api';
      if (number === undefined) {
        number = await workspaces.addNumber(workspaceId, {
          number: profile.e164,
          provider: 'cloud-api',
          label: input.label ?? null,
        });
      } else if (switched) {
        await phones.setProvider(workspaceId, number.id, 'cloud-api', clock.now());
        number = { ...number, provider: 'cloud-api' };
      }
      // A new token for a number already here: an app secret and verify token left empty keep the
      // stored ones (the owner replacing an expired token should not have to find them again).
      if (!added && (credentials.appSecret === null || credentials.verifyToken === null)) {
        const previous = await repo.credentials(workspaceId, number.id);
        if (previous?.phoneNumberId === credentials.phoneNumberId) {
          credentials.appSecret ??= previous.appSecret;
          credentials.verifyToken ??= previous.verifyToken;
        }
      }
      let stored: StoredCloudNumber | undefined;
      try {
        stored = await repo.save(
          workspaceId,
          number.id,
          {
            phoneNumberId: credentials.phoneNumberId,
            wabaId: credentials.wabaId,
            accessToken: credentials.accessToken,
            appSecret: credentials.appSecret,
            verifyToken: credentials.verifyToken,
            graphBaseUrl: credentials.graphBaseUrl,
            graphVersion: credentials.graphVersion,
          },
          profile,
          clock.now(),
        );
      } catch (error) {
        // Nothing half-stored: a number added for this attempt goes again.
        if (added) await workspaces.removeNumber(workspaceId, number.id).catch(() => undefined);
        if (/UNIQUE constraint failed: cloud_numbers\.phone_number_id/.test(String(error))) {
          throw new SwitchboardError(
            'CONFLICT',
            `Phone number ID ${input.phoneNumberId} is already connected on this computer, for another number.`,
            { field: 'phoneNumberId' },
          );
        }
        throw error;
      }
      if (stored === undefined)
        throw new SwitchboardError('NOT_FOUND', 'That number is not in this workspace.');
      configs.set(number.id, credentials);
      log.info(
        'cloud.connected',
        `${profile.e164} connected to the WhatsApp Cloud API as ${profile.verifiedName ?? 'an unnamed number'}` +
          (switched ? ' (moved from the QR-code link; its chats stay)' : ''),
        {
          e164: profile.e164,
          phoneNumberId: credentials.phoneNumberId,
          wabaId: credentials.wabaId,
          qualityRating: profile.qualityRating,
          switched,
        },
      );
      // A provider built from older settings (another token, the QR link) is replaced, not reused.
      if (connections !== null) {
        await connections.remove(workspaceId, number.e164).catch((error: unknown) => {
          if (!isSwitchboardError(error, 'NOT_FOUND')) throw error;
        });
        connections.start(number, 'cloud number connected');
        // The check just passed, so the connection opens at once: answer when it has (or after 10 s).
        const deadline = Date.now() + 10_000;
        while (connections.state(number.e164)?.status !== 'connected' && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      }
      return view(number, stored);
    },

    async status(workspaceId: WorkspaceId): Promise<CloudStatus> {
      const numbers = await workspaces.listNumbers(workspaceId);
      const stored = new Map((await repo.list(workspaceId)).map((s) => [s.numberId, s]));
      const views: CloudNumberView[] = [];
      for (const number of numbers) {
        const s = stored.get(number.id);
        if (number.provider !== 'cloud-api' || s === undefined) continue;
        const v = view(number, s);
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
      const now = new Date(clock.now());
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
    },

    /** The approved templates of a Cloud number's WhatsApp Business Account, read live. */
    async templates(workspaceId: WorkspaceId, e164: E164): Promise<CloudTemplate[]> {
      const number = await createPhoneNumberRepository(store.db).findByE164(workspaceId, e164);
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
      const credentials = await repo.credentials(workspaceId, number.id);
      if (credentials === undefined) {
        throw new SwitchboardError(
          'VALIDATION',
          `${e164} has no stored Cloud API token: connect it again with "Connect an official number".`,
          { e164 },
        );
      }
      let all: MessageTemplate[];
      try {
        all = await listTemplates(graphFor(credentials), credentials.wabaId);
      } catch (error) {
        throw checkFailure(error, 'templates', credentials, baseUrlOf(credentials));
      }
      return all.filter((t) => t.status === 'APPROVED').map(toCloudTemplate);
    },

    /** Whether `number` is on the Cloud API (its messages have a service window). */
    isCloud(number: PhoneNumber): boolean {
      return number.provider === 'cloud-api';
    },

    /** The live provider of a Cloud number, when it runs in this process. */
    provider: liveProvider,
  };
  return service;
}

function newer(a: CloudProfileRecord | null, b: CloudProfileRecord | null): CloudProfileRecord | null {
  if (a === null) return b;
  if (b === null) return a;
  return b.checkedAt >= a.checkedAt ? b : a;
}

function toCloudTemplate(t: MessageTemplate): CloudTemplate {
  const shape = templateShape(t.components);
  return {
    name: t.name,
    language: t.language,
    category: t.category,
    body: shape.body,
    parameters: shape.parameters.map((p) => p.name),
    header: shape.header,
    buttons: shape.buttons,
    sendable: shape.unsendable === null,
    unsendableReason: shape.unsendable,
  };
}

/** A failed live call, in words that say what to fix. The token never appears (graph-client scrubs it). */
function checkFailure(
  error: unknown,
  step: 'phone' | 'waba' | 'templates',
  input: { phoneNumberId: string; wabaId: string },
  baseUrl: string,
): SwitchboardError {
  if (!(error instanceof GraphApiError)) {
    return new SwitchboardError('INTERNAL', `Checking the number failed: ${String(error)}`);
  }
  const info = error.info;
  if (info.network) {
    return new SwitchboardError(
      'UNAVAILABLE',
      `Could not reach the WhatsApp Cloud API at ${baseUrl}: check this computer's internet connection` +
        (baseUrl === DEFAULT_GRAPH_BASE_URL ? '' : ' and the Graph API address under Advanced') +
        ', then try again.',
      { field: 'network' },
    );
  }
  const verdict = classifyGraphError(info);
  if (info.code === 190) {
    return new SwitchboardError(
      'VALIDATION',
      info.subcode === 463
        ? 'The access token was refused (it has expired): create a new system-user token in Meta Business Settings › System users, and paste it here.'
        : 'The access token was refused: create a new system-user token in Meta Business Settings › System users, and paste it here.',
      { field: 'accessToken', graphCode: 190 },
    );
  }
  if (info.code === 100 && step === 'phone') {
    return new SwitchboardError(
      'VALIDATION',
      `Meta knows no phone number with the ID ${input.phoneNumberId} for this token: check the phone number ID in Meta's WhatsApp Manager.`,
      { field: 'phoneNumberId', graphCode: 100 },
    );
  }
  if (info.code === 100) {
    return new SwitchboardError(
      'VALIDATION',
      `Meta knows no WhatsApp Business Account with the ID ${input.wabaId} for this token: check the WhatsApp Business Account ID in Meta's WhatsApp Manager.`,
      { field: 'wabaId', graphCode: 100 },
    );
  }
  if (verdict === 'credentials') {
    return new SwitchboardError(
      'VALIDATION',
      'The access token lacks a permission: give the system user whatsapp_business_messaging and ' +
        'whatsapp_business_management on this WhatsApp account, create a new token and paste it here.',
      { field: 'accessToken', graphCode: info.code },
    );
  }
  if (verdict === 'restricted') {
    return new SwitchboardError(
      'VALIDATION',
      'Meta has restricted this WhatsApp Business Account: open WhatsApp Manager to see why and what to do.',
      { graphCode: info.code },
    );
  }
  return new SwitchboardError(
    verdict === 'transient' ? 'UNAVAILABLE' : 'VALIDATION',
    `The WhatsApp Cloud API refused the check: ${error.message}`,
    { graphCode: info.code },
  );
}
