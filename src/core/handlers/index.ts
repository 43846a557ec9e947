/**
 * The core's implementation of the contract (src/shared/contract.ts), for the shells: build the core
 * with a live log sink, wrap it in a runtime, add the shell's own handlers and dispatch by name.
 */
export { createCoreRuntime, type CoreRuntime, type CoreRuntimeOptions } from './runtime';
export { createDispatcher, type Dispatch } from './dispatch';
export { createEventHub, type EventHub, type AnyEventListener } from './event-hub';
export { createLiveLogSink, type LiveLogSink } from './live-log-sink';
export { tidyPhrasings } from '../bot/faq/faq-service';
