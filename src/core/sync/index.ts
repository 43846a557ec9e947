export { createSyncService, type SyncService, type SyncServiceOptions } from './sync-service';
export {
  createFetchTransport,
  SyncNetworkError,
  type SyncTransport,
  type SyncHttpResponse,
} from './transport';
export { DEFAULT_PUSH_LIMITS, type PushLimits, type PusherPhase } from './pusher';
export { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
