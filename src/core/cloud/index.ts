/**
 * The Cloud API's entry point for the shells: what the central server's webhook intake needs to check
 * and read Meta's webhooks (the parsing and verification live with the provider, in whatsapp/cloud-api).
 */
export {
  changeValueSchema,
  notificationSchema,
  type WebhookNotification,
} from '../whatsapp/cloud-api/webhook-schema';
export { isSignatureHeader, verifyWebhookSignature } from '../whatsapp/cloud-api/webhook';
