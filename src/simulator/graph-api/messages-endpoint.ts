// POST /{version}/{phone_number_id}/messages: sends (text, template) and read receipts with typing,
// then the statuses Meta posts back for each send.
import type { SimNumber, SimTemplate, StoredMedia } from './business';
import { unixSeconds, type SimClock } from './clock';
import type { CustomerImpl, ReceivedCloudMedia } from './customer';
import { graphError, statusError, type GraphErrorAnswer } from './graph-errors';
import { digitsOf, newWamid } from './ids';
import { listOf, type SimList } from './interactive-list';
import { fillTemplateSend } from './template-send';
import { statusesNotification, type WebhookStatusJson } from './notifications';
import type { WebhookSender } from './webhook-sender';

const WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_BODY = 4096;

export interface StatusBehaviour {
  /** Gap between a message's statuses (sent, delivered, read), each its own POST. */
  delayMs: number;
  /** Chance that `delivered` is skipped (Meta sends `read` alone when it comes at once). */
  skipDelivered: number;
  /** Chance that a message's statuses are POSTed in reverse order. */
  outOfOrder: number;
}

export interface SentMessage {
  id: string;
  phoneNumberId: string;
  to: string;
  text: string | null;
  template: string | null;
  /** A template's `components` exactly as the request carried them ([] when it had none). */
  components: unknown[] | null;
  callbackData: string | null;
  quotedId: string | null;
  /** An image, document or audio message: its type and the uploaded media id it named. */
  media: { type: string; id: string } | null;
  /** An interactive list: its body, button and rows as accepted. */
  list?: SimList;
  at: number;
}

export type Answer = { status: 200; body: unknown } | GraphErrorAnswer;

export interface MessagesEndpointDeps {
  clock: SimClock;
  webhooks: WebhookSender;
  statuses: StatusBehaviour;
  random(): number;
  customers(): Iterable<CustomerImpl>;
  /** The customer with this phone, created on first use. */
  customerByPhone(phone: string): CustomerImpl;
  templates(wabaId: string): SimTemplate[];
  /** A media id uploaded to (or received by) a number. */
  media(id: string): StoredMedia | undefined;
}

export class MessagesEndpoint {
  readonly sent: SentMessage[] = [];
  private readonly statusTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly deps: MessagesEndpointDeps) {}

  /** Status chains still under way: a chain counts until its last status has been answered. */
  private chains = 0;
  private stopped = false;

  get pendingStatuses(): number {
    return this.statusTimers.size + this.chains;
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.statusTimers) clearTimeout(timer);
    this.statusTimers.clear();
    this.chains = 0;
  }

  /** `{"status":"read","message_id":...}`, with `typing_indicator` to show "typing...". */
  markRead(number: SimNumber, json: Record<string, unknown>): Answer {
    const id = json.message_id;
    if (typeof id !== 'string' || !number.inbound.has(id)) {
      return graphError(100, { details: 'message_id is not a message this number received' });
    }
    const customer = [...this.deps.customers()].find((c) => c.sentIds.has(id));
    customer?.readReceipts.push(id);
    const typing = (json.typing_indicator as { type?: unknown } | undefined)?.type;
    if (typing === 'text') customer?.typing.push(id);
    return { status: 200, body: { success: true } };
  }

  /** A text (inside the 24-hour window) or an approved template; `asyncFailure` fails it later. */
  send(number: SimNumber, json: Record<string, unknown>, asyncFailure: number | null): Answer {
    const customer = this.addressee(json);
    if (customer === null) return graphError(100, { details: 'Invalid recipient' });
    let text: string | null = null;
    let template: SimTemplate | null = null;
    let media: ReceivedCloudMedia | null = null;
    let list: SimList | null = null;
    if (json.type === 'text') {
      const body = (json.text as { body?: unknown } | undefined)?.body;
      if (typeof body !== 'string' || body === '')
        return graphError(131008, { details: 'text.body is required' });
      if (body.length > MAX_BODY) {
        return graphError(100, {
          details: `Param text['body'] must be at most ${MAX_BODY} characters long.`,
        });
      }
      const last = customer.lastWrote.get(number.phoneNumberId);
      if (last === undefined || this.deps.clock.now() - last > WINDOW_MS) return graphError(131047);
      text = body;
    } else if (json.type === 'template') {
      template = this.findTemplate(number, json.template);
      if (template === null) return graphError(132001);
      const filled = fillTemplateSend(template, json.template);
      if (typeof filled !== 'string') return filled;
      text = filled;
    } else if (json.type === 'image' || json.type === 'document' || json.type === 'audio') {
      const checked = this.mediaOf(number, json.type, json[json.type]);
      if ('status' in checked) return checked;
      const last = customer.lastWrote.get(number.phoneNumberId);
      if (last === undefined || this.deps.clock.now() - last > WINDOW_MS) return graphError(131047);
      media = checked;
      text = checked.caption ?? '';
    } else if (json.type === 'interactive') {
      const checked = listOf(json.interactive);
      if ('status' in checked) return checked;
      const last = customer.lastWrote.get(number.phoneNumberId);
      if (last === undefined || this.deps.clock.now() - last > WINDOW_MS) return graphError(131047);
      list = checked;
      text = checked.body;
    } else {
      // Video, buttons and the rest exist on the real API; the simulator does not play them.
      return graphError(131051, { details: `type ${String(json.type)} is not simulated` });
    }
    const sent: SentMessage = {
      id: newWamid(),
      phoneNumberId: number.phoneNumberId,
      to: customer.address,
      text: template === null ? text : null,
      template: template?.name ?? null,
      components: template === null ? null : componentsOf(json.template),
      callbackData: typeof json.biz_opaque_callback_data === 'string' ? json.biz_opaque_callback_data : null,
      quotedId: (json.context as { message_id?: string } | undefined)?.message_id ?? null,
      media: media === null ? null : { type: String(json.type), id: media.id },
      ...(list !== null && { list }),
      at: this.deps.clock.now(),
    };
    this.sent.push(sent);
    const failure = asyncFailure ?? (customer.onWhatsApp ? null : 131026);
    if (failure === null) {
      customer.recordReply({
        id: sent.id,
        text: text ?? `[template ${template?.name}]`,
        from: number.phone,
        quotedId: sent.quotedId,
        callbackData: sent.callbackData,
        template: sent.template,
        at: sent.at,
        ...(media !== null && { media }),
        ...(list !== null && { list }),
      });
    }
    this.scheduleStatuses(number, customer, sent, template, failure);
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: customer.waId === '' ? customer.address : customer.waId, wa_id: customer.waId }],
        messages: [{ id: sent.id }],
      },
    };
  }

  /**
   * `{"id": "<media id>", "caption"?, "filename"?}`: the id must be one this number uploaded, and of
   * the message's type (Meta refuses a PDF sent as an image). Links are not simulated.
   */
  private mediaOf(
    number: SimNumber,
    type: 'image' | 'document' | 'audio',
    raw: unknown,
  ): ReceivedCloudMedia | GraphErrorAnswer {
    const given = raw as { id?: unknown; link?: unknown; caption?: unknown; filename?: unknown } | undefined;
    if (typeof given?.id !== 'string' || given.id === '') {
      return graphError(131008, { details: `${type}.id is required (links are not simulated)` });
    }
    const stored = this.deps.media(given.id);
    if (stored === undefined || stored.phoneNumberId !== number.phoneNumberId) {
      return graphError(131053, { details: `media ${given.id} was not uploaded by this number` });
    }
    const family = stored.mimeType.split('/')[0];
    const fits = type === 'document' ? true : family === (type === 'image' ? 'image' : 'audio');
    if (!fits)
      return graphError(131053, { details: `media ${given.id} is ${stored.mimeType}, not an ${type}` });
    if (type === 'audio' && given.caption !== undefined) {
      return graphError(100, { details: 'audio messages take no caption' });
    }
    return {
      kind: type,
      id: stored.id,
      mimeType: stored.mimeType,
      bytes: stored.bytes,
      fileName: typeof given.filename === 'string' ? given.filename : null,
      caption: typeof given.caption === 'string' && given.caption !== '' ? given.caption : null,
    };
  }

  /** `to` (a wa_id; an unknown one is a customer who never wrote) or `recipient` (a username's user_id). */
  private addressee(json: Record<string, unknown>): CustomerImpl | null {
    if (typeof json.to === 'string' && /^\+?\d{7,15}$/.test(json.to)) {
      return this.deps.customerByPhone(`+${digitsOf(json.to)}`);
    }
    if (typeof json.recipient === 'string') {
      return [...this.deps.customers()].find((c) => c.userId === json.recipient) ?? null;
    }
    return null;
  }

  private findTemplate(number: SimNumber, raw: unknown): SimTemplate | null {
    const t = raw as { name?: unknown; language?: { code?: unknown } } | undefined;
    return (
      this.deps
        .templates(number.wabaId)
        .find((x) => x.name === t?.name && x.language === t?.language?.code && x.status === 'APPROVED') ??
      null
    );
  }

  /** sent -> delivered -> read, each a POST; or one `failed`. Meta's habits applied by chance. */
  private scheduleStatuses(
    number: SimNumber,
    customer: CustomerImpl,
    sent: SentMessage,
    template: SimTemplate | null,
    failure: number | null,
  ): void {
    const pricing = {
      billable: template !== null,
      pricing_model: 'PMP',
      category: template === null ? 'service' : template.category.toLowerCase(),
      type: template === null ? 'free_customer_service' : 'regular',
    };
    let statuses: WebhookStatusJson['status'][] =
      failure !== null
        ? ['failed']
        : ['sent', 'delivered', ...(customer.readsReplies ? ['read' as const] : [])];
    const { delayMs, skipDelivered, outOfOrder } = this.deps.statuses;
    if (failure === null && customer.readsReplies && this.deps.random() < skipDelivered) {
      statuses = statuses.filter((s) => s !== 'delivered');
    }
    if (statuses.length > 1 && this.deps.random() < outOfOrder) statuses.reverse();
    // One after another, each `delayMs` after the previous one was answered (see sendInTurn).
    const next = (i: number): void => {
      const status = statuses[i];
      if (this.stopped) return;
      if (status === undefined) {
        this.chains--;
        return;
      }
      const timer = setTimeout(() => {
        this.statusTimers.delete(timer);
        const json: WebhookStatusJson = {
          id: sent.id,
          status,
          timestamp: unixSeconds(this.deps.clock.now()),
          recipient_id: customer.waId,
          ...(sent.callbackData !== null && { biz_opaque_callback_data: sent.callbackData }),
          ...(status === 'failed' ? { errors: [statusError(failure ?? 131026)] } : { pricing }),
        };
        void this.deps.webhooks.sendInTurn(statusesNotification(number, [json])).then(() => next(i + 1));
      }, delayMs);
      this.statusTimers.add(timer);
    };
    this.chains++;
    next(0);
  }
}

function componentsOf(raw: unknown): unknown[] {
  const components = (raw as { components?: unknown } | undefined)?.components;
  return Array.isArray(components) ? (structuredClone(components) as unknown[]) : [];
}
