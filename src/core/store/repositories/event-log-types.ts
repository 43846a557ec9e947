import type { LogEvent } from '../../../shared/log-contract';
import type { LogLevel } from '../../../shared/types';

/** An event as stored and read back: the Logs screen's event before the person and FAQ it names are added. */
export type StoredEvent = Omit<LogEvent, 'person' | 'faq'>;

/** A row as the log sink hands it over: meta already serialised to JSON text. */
export type NewEvent = Omit<StoredEvent, 'seq' | 'meta'> & { meta: string | null };

export interface EventQuery {
  /** null = the machine's own events (no workspace). Always required: there is no unscoped read. */
  workspaceId: string | null;
  levels?: LogLevel[];
  /** This level and above. */
  minLevel?: LogLevel;
  types?: string[];
  /** E.g. 'connection.' for every connection event. */
  typePrefix?: string;
  /** Inclusive lower bound on ts. */
  since?: number;
  /** Exclusive upper bound on ts. */
  until?: number;
  /** Case-insensitive (ASCII) substring of the message or the meta JSON. */
  search?: string;
  /** Further substrings, any of which also matches (the ids of customers whose name is `search`). */
  alsoMatching?: readonly string[];
  /** The `nextBeforeSeq` of the previous page. */
  beforeSeq?: number;
  /** Only events written after this seq (e.g. newer than what the screen already shows). */
  afterSeq?: number;
  /** Only events written up to this seq (inclusive): an export's end, fixed when it starts. */
  throughSeq?: number;
  limit?: number;
}

export interface EventPage {
  /** Newest first. */
  events: StoredEvent[];
  /** Pass as `beforeSeq` for the next (older) page; null when there is none. */
  nextBeforeSeq: number | null;
}

export interface RetentionPolicy {
  maxAgeMs?: number;
  maxRows?: number;
  now: number;
  /**
   * Event types anyone on the network can cause (log/folded-warnings.ts NOISE_EVENT_TYPES): over
   * `maxRows` (and the hard cap) the oldest of these go first, and other events only when those alone
   * are over the limit, so noise never evicts a shop's history.
   */
  noiseTypes?: readonly string[];
  /**
   * Noise older than this goes whatever the row count (default: kept as long as `maxAgeMs`): refused
   * webhooks from last month are no use to a shop, and they should not sit beside its history.
   */
  noiseMaxAgeMs?: number;
}

/** Retention that keeps events an enrolled workspace has not pushed yet, up to a hard cap. */
export interface GuardedRetentionPolicy extends RetentionPolicy {
  /** The table never keeps more rows than this, pushed or not: a server that is never reachable cannot fill the disk. */
  hardMaxRows: number;
}

/** Events the hard cap deleted before their workspace's central server acknowledged them. */
export interface ForcedDeletion {
  workspaceId: string;
  count: number;
  /** The highest seq deleted unpushed. */
  throughSeq: number;
}

export interface GuardedRetentionResult {
  deleted: number;
  forced: ForcedDeletion[];
}
