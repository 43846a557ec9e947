import { randomUUID } from 'node:crypto';

/** Ids are random strings: unguessable, and safe to merge across machines when logs are synced. */
export type IdGenerator = () => string;
export const createId: IdGenerator = () => randomUUID();

/** Time is injected everywhere so tests run with a clock they control. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };
