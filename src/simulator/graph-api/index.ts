// Public entry point of the local Graph API server (tests, benchmarks and, later, demo mode).
export { startGraphApiServer } from './server';
export type {
  GraphApiServer,
  GraphApiServerOptions,
  RequestRecord,
  SentMessage,
  StatusBehaviour,
  UploadedMedia,
} from './server';
export type {
  CloudContactCard,
  CloudCustomer,
  CloudCustomerOptions,
  CloudLocationToSend,
  CloudMediaToSend,
  CloudReply,
} from './customer';
export type { FaultMatch, GraphFault, RequestKind } from './faults';
export type { SimNumber, SimNumberInit, SimTemplate } from './business';
export type { SimClock } from './clock';
export type { SimList, SimListRow } from './interactive-list';
export type { WebhookBehaviour, WebhookDelivery } from './webhook-sender';
export { signBody } from './webhook-sender';
export { NEW_STOCK_TEMPLATE, ORDER_SHIPPED_TEMPLATE, STORE_LOCATION_TEMPLATE } from './sample-templates';
export { DEFAULT_TEMPLATES } from './business';
