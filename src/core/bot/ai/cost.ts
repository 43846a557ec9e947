import { localDateTime } from '../../stats/local-days';
import type { CompletionRequest, TokenUsage } from './types';

/**
 * What an AI answer costs and whether a workspace may spend more. Money is counted in integer
 * nano-dollars (1e-9 USD) so sums are exact: a price with up to three decimals per million tokens times
 * a whole number of tokens is a whole number of nano-dollars.
 */

export interface ModelPrice {
  /** USD per million input (prompt) tokens. */
  inputPerMTok: number;
  /** USD per million output (completion) tokens. */
  outputPerMTok: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * List prices (USD per million tokens) of a few common models when this was written; an owner's
 * configuration should override them. Keys are model ids as sent to the API.
 */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'claude-3-5-haiku-latest': { inputPerMTok: 0.8, outputPerMTok: 4 },
  'claude-sonnet-4-0': { inputPerMTok: 3, outputPerMTok: 15 },
  'llama-3.1-8b-instant': { inputPerMTok: 0.05, outputPerMTok: 0.08 },
  // OpenRouter names models by their maker; its price is the maker's.
  'openai/gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'anthropic/claude-3.5-haiku': { inputPerMTok: 0.8, outputPerMTok: 4 },
};

export const NANO_PER_USD = 1_000_000_000;

export interface Cost {
  nanoUsd: number;
  usd: number;
  /** False when the model is not in the table and the unknown-model price was charged. */
  known: boolean;
}

/**
 * Unknown-model policy: the owner sets a provider's price (0 for a model on their own computer), and
 * Settings refuses a model neither the owner nor the table prices. A model that still reaches a call
 * unpriced (settings from an older version) is charged the table's most expensive rates, never zero, so
 * the budget can only run out sooner; the cost says `known: false`, the log and the AI screen say so.
 */
export function unknownModelPrice(table: PriceTable): ModelPrice {
  const prices = Object.values(table);
  return {
    inputPerMTok: Math.max(0, ...prices.map((p) => p.inputPerMTok)),
    outputPerMTok: Math.max(0, ...prices.map((p) => p.outputPerMTok)),
  };
}

export function costOf(
  usage: TokenUsage,
  model: string,
  table: PriceTable = DEFAULT_PRICES,
  fallback: ModelPrice = unknownModelPrice(table),
): Cost {
  const known = Object.hasOwn(table, model);
  const price = known ? table[model]! : fallback;
  // USD/Mtok × tokens = µUSD; × 1000 = nUSD. Rounded once per side to absorb float noise (0.15 × 1000).
  const nanoUsd =
    Math.round(price.inputPerMTok * 1000) * usage.inputTokens +
    Math.round(price.outputPerMTok * 1000) * usage.outputTokens;
  return { nanoUsd, usd: nanoUsd / NANO_PER_USD, known };
}

export function usdToNano(usd: number): number {
  return Math.round(usd * NANO_PER_USD);
}

/** Characters of framing a chat API adds around each message (role markers), counted as tokens. */
const TOKENS_PER_MESSAGE = 8;

/**
 * The most a request can cost before the provider says what it used: every byte of the prompt a token
 * (byte-level tokenizers never emit fewer bytes than tokens), plus framing, plus the reply's cap.
 */
export function worstCaseUsage(request: CompletionRequest, defaultMaxTokens: number): TokenUsage {
  let bytes = Buffer.byteLength(request.system, 'utf8');
  for (const m of request.messages) bytes += Buffer.byteLength(m.content, 'utf8');
  return {
    inputTokens: bytes + TOKENS_PER_MESSAGE * (request.messages.length + 1),
    outputTokens: request.maxTokens ?? defaultMaxTokens,
  };
}

export type BudgetPeriod = 'day' | 'month';

export interface BudgetLimits {
  /** USD per calendar day in the workspace's time zone; null for no daily cap. */
  dailyUsd: number | null;
  /** USD per calendar month; null for no monthly cap. */
  monthlyUsd: number | null;
}

export interface PeriodKeys {
  /** 'YYYY-MM-DD' */
  day: string;
  /** 'YYYY-MM' */
  month: string;
}

export interface Spend {
  keys: PeriodKeys;
  /** Nano-dollars spent in the current day and month. */
  day: number;
  month: number;
  /** Nano-dollars held for calls under way (their worst case), not yet spent. */
  held: number;
}

/** Money held for one call under way; settled with what the call really cost. */
export interface Reservation {
  readonly workspaceId: string;
  readonly nanoUsd: number;
}

/**
 * Where spending is kept. In memory (createBudgetLedger); the SQLite ledger (ai-store) wraps the same
 * one and writes each spend through, so budgets survive a restart.
 *
 * The cap holds under concurrency because a call first `reserve`s its worst case: the check and the hold
 * are one synchronous step, so two chats at once cannot both see the same remaining money.
 */
export interface BudgetLedger {
  /** Holds `nanoUsd` if spent + held + it stays within every limit; null when it does not fit. */
  reserve(workspaceId: string, nanoUsd: number, limits: BudgetLimits): Reservation | null;
  /** Releases the hold and records what the call cost (0 when it failed). */
  settle(reservation: Reservation, nanoUsd: number): void;
  record(workspaceId: string, nanoUsd: number): void;
  spent(workspaceId: string): Spend;
  /**
   * True the first time it is called for this workspace, period and period key since the last
   * `resetNotices`; false after. The owner raising the budget resets it, so running out again is told.
   */
  claimNotice(workspaceId: string, period: BudgetPeriod, key: string): boolean;
  resetNotices(workspaceId: string): void;
  /** The workspace's IANA zone: its day and month begin at local midnight there. */
  setTimeZone(workspaceId: string, timeZone: string): void;
}

export interface BudgetLedgerOptions {
  now: () => number;
  /** IANA zone of a workspace not yet given one with `setTimeZone`. Default UTC. */
  timeZone?: string;
  /** Called after each recorded spend, with the period keys it counted in (write-through). */
  onRecord?: (workspaceId: string, keys: PeriodKeys, nanoUsd: number) => void;
  onNotice?: (workspaceId: string, period: BudgetPeriod, key: string, noticed: boolean) => void;
}

/**
 * The day ('YYYY-MM-DD') and month ('YYYY-MM') a moment falls in, in an IANA time zone: through
 * stats/local-days' `localDateTime`, which counts an unknown zone as UTC rather than throwing.
 */
export function periodKeysIn(timeZone: string): (ms: number) => PeriodKeys {
  return (ms) => {
    const day = localDateTime(ms, timeZone).slice(0, 10);
    return { day, month: day.slice(0, 7) };
  };
}

export interface MemoryBudgetLedger extends BudgetLedger {
  /** Sets a stored total (loading from disk). */
  seed(workspaceId: string, period: BudgetPeriod, key: string, nanoUsd: number, noticed: boolean): void;
}

export function createBudgetLedger(options: BudgetLedgerOptions): MemoryBudgetLedger {
  const defaultZone = options.timeZone ?? 'UTC';
  const zones = new Map<string, string>();
  const counter = createSpendCounters();
  const held = new Map<string, number>();

  const keysOf = (workspaceId: string): PeriodKeys =>
    periodKeysIn(zones.get(workspaceId) ?? defaultZone)(options.now());
  const amount = (nanoUsd: number) => {
    if (!Number.isSafeInteger(nanoUsd) || nanoUsd < 0)
      throw new RangeError('nanoUsd must be a non-negative integer');
  };

  const ledger: MemoryBudgetLedger = {
    reserve(workspaceId, nanoUsd, limits) {
      amount(nanoUsd);
      const spend = ledger.spent(workspaceId);
      const after = spend.held + nanoUsd;
      if (limits.dailyUsd !== null && spend.day + after > usdToNano(limits.dailyUsd)) return null;
      if (limits.monthlyUsd !== null && spend.month + after > usdToNano(limits.monthlyUsd)) return null;
      held.set(workspaceId, after);
      return { workspaceId, nanoUsd };
    },
    settle(reservation, nanoUsd) {
      const left = (held.get(reservation.workspaceId) ?? 0) - reservation.nanoUsd;
      if (left > 0) held.set(reservation.workspaceId, left);
      else held.delete(reservation.workspaceId);
      ledger.record(reservation.workspaceId, nanoUsd);
    },
    record(workspaceId, nanoUsd) {
      amount(nanoUsd);
      const keys = keysOf(workspaceId);
      counter(workspaceId, 'day', keys.day).nano += nanoUsd;
      counter(workspaceId, 'month', keys.month).nano += nanoUsd;
      options.onRecord?.(workspaceId, keys, nanoUsd);
    },
    spent(workspaceId) {
      const keys = keysOf(workspaceId);
      return {
        keys,
        day: counter(workspaceId, 'day', keys.day).nano,
        month: counter(workspaceId, 'month', keys.month).nano,
        held: held.get(workspaceId) ?? 0,
      };
    },
    claimNotice(workspaceId, period, key) {
      const total = counter(workspaceId, period, key);
      if (total.noticed) return false;
      total.noticed = true;
      options.onNotice?.(workspaceId, period, key, true);
      return true;
    },
    resetNotices(workspaceId) {
      const keys = keysOf(workspaceId);
      for (const period of ['day', 'month'] as const) {
        const total = counter(workspaceId, period, keys[period]);
        if (!total.noticed) continue;
        total.noticed = false;
        options.onNotice?.(workspaceId, period, keys[period], false);
      }
    },
    setTimeZone(workspaceId, timeZone) {
      zones.set(workspaceId, timeZone);
    },
    seed(workspaceId, period, key, nanoUsd, noticed) {
      const total = counter(workspaceId, period, key);
      total.nano = nanoUsd;
      total.noticed = noticed;
    },
  };
  return ledger;
}

/**
 * Totals by workspace and period, then period key. Loading from disk may seed yesterday's and today's
 * (the zone is not known yet); the two latest keys are kept, older ones dropped. Returns the counter
 * of one workspace, period and key, made at zero on first use.
 */
function createSpendCounters() {
  const totals = new Map<string, Map<string, { nano: number; noticed: boolean }>>();
  return (workspaceId: string, period: BudgetPeriod, key: string) => {
    const id = `${workspaceId}\u0000${period}`;
    let byKey = totals.get(id);
    if (byKey === undefined) {
      byKey = new Map();
      totals.set(id, byKey);
    }
    let total = byKey.get(key);
    if (total === undefined) {
      total = { nano: 0, noticed: false };
      byKey.set(key, total);
      if (byKey.size > 2) byKey.delete([...byKey.keys()].sort()[0]!);
    }
    return total;
  };
}

/** The first exhausted period (day before month), or null while within both limits. */
export function exhaustedPeriod(spend: Spend, limits: BudgetLimits): BudgetPeriod | null {
  if (limits.dailyUsd !== null && spend.day >= usdToNano(limits.dailyUsd)) return 'day';
  if (limits.monthlyUsd !== null && spend.month >= usdToNano(limits.monthlyUsd)) return 'month';
  return null;
}
