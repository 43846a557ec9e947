import type { CloudTemplate } from '../../shared/cloud-contract';
import type { E164 } from '../../shared/types';
import { SwitchboardError } from '../errors';
import type { Clock } from '../ids';
import { normalizePhoneNumber } from '../phone/normalize-phone-number';
import { DEFAULT_GRAPH_API_VERSION, DEFAULT_GRAPH_BASE_URL } from '../whatsapp/cloud-api/cloud-api-provider';
import { createGraphClient, GraphApiError } from '../whatsapp/cloud-api/graph-client';
import { classifyGraphError } from '../whatsapp/cloud-api/graph-errors';
import { listTemplates, type MessageTemplate } from '../whatsapp/cloud-api/templates-and-media';
import type { CloudCredentials, CloudProfileRecord } from './cloud-store';
import { templateShape } from './template-parameters';

export interface CloudGraphOptions {
  clock: Clock;
  /** The app's defaults (tests and demo mode point them at the local Graph API server). */
  defaults?: { baseUrl?: string; graphApiVersion?: string } | undefined;
  timeoutMs: number;
}

/** The Graph API calls the Cloud service makes itself: the live check of a number, and its templates. */
export interface CloudGraph {
  baseUrlOf(c: { graphBaseUrl: string | null }): string;
  /**
   * The live check: `GET /{phone_number_id}` with the token (and the WABA's templates, which proves the
   * WABA id and the management permission). Throws a SwitchboardError that says what to fix.
   */
  check(input: CloudCredentials): Promise<CloudProfileRecord & { e164: E164 }>;
  /** The approved templates of the number's WhatsApp Business Account, read live. */
  approvedTemplates(credentials: CloudCredentials): Promise<CloudTemplate[]>;
}

export function createCloudGraph(options: CloudGraphOptions): CloudGraph {
  const baseUrlOf = (c: { graphBaseUrl: string | null }): string =>
    c.graphBaseUrl ?? options.defaults?.baseUrl ?? DEFAULT_GRAPH_BASE_URL;
  const graphFor = (c: CloudCredentials) =>
    createGraphClient({
      baseUrl: baseUrlOf(c),
      version: c.graphVersion ?? options.defaults?.graphApiVersion ?? DEFAULT_GRAPH_API_VERSION,
      accessToken: c.accessToken,
      timeoutMs: options.timeoutMs,
    });

  return {
    baseUrlOf,
    async check(input) {
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
        checkedAt: options.clock.now(),
      };
    },
    async approvedTemplates(credentials) {
      let all: MessageTemplate[];
      try {
        all = await listTemplates(graphFor(credentials), credentials.wabaId);
      } catch (error) {
        throw checkFailure(error, 'templates', credentials, baseUrlOf(credentials));
      }
      return all.filter((t) => t.status === 'APPROVED').map(toCloudTemplate);
    },
  };
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
