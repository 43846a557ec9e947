// Webhook notification bodies in the shapes of cloud-api-notes.md ("Receiving: webhooks").

export interface NumberRef {
  phoneNumberId: string;
  wabaId: string;
  /** Digits, as `metadata.display_phone_number` shows them. */
  digits: string;
}

export interface WebhookContactJson {
  profile: { name: string };
  wa_id: string;
  user_id?: string;
}

export type WebhookMessageJson = Record<string, unknown> & {
  from: string;
  id: string;
  timestamp: string;
  type: string;
};

export interface WebhookStatusJson {
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  timestamp: string;
  recipient_id: string;
  biz_opaque_callback_data?: string;
  pricing?: { billable: boolean; pricing_model: string; category: string; type: string };
  errors?: unknown[];
}

function envelope(number: NumberRef, value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: number.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: number.digits, phone_number_id: number.phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/** One or several customers' messages in one POST (Meta batches them), one contact per message. */
export function messagesNotification(
  number: NumberRef,
  items: { contact: WebhookContactJson; message: WebhookMessageJson }[],
): Record<string, unknown> {
  return envelope(number, { contacts: items.map((i) => i.contact), messages: items.map((i) => i.message) });
}

export function statusesNotification(
  number: NumberRef,
  statuses: WebhookStatusJson[],
): Record<string, unknown> {
  return envelope(number, { statuses });
}

/**
 * JSON as Meta writes it: every non-ASCII character escaped as \uXXXX. A receiver that verifies the
 * signature over re-serialised JSON (literal emoji) instead of the raw bytes fails, as it would with Meta.
 */
export function metaJson(value: unknown): Buffer {
  const text = JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return Buffer.from(text, 'utf8');
}
