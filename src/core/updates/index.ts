export * from './version';
export * from './feed';
export * from './schedule';
export { pendingReplies } from './pending-replies';
