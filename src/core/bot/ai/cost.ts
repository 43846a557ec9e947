import type { TokenUsage } from './types';

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
};

export const NANO_PER_USD = 1_000_000_000;

export interface Cost {
  nanoUsd: number;
  usd: number;
  /** False when the model is not in the table and the unknown-model price was charged. */
  known: boolean;
}

/**
 * Unknown-model policy: a model missing from the table is charged at the table's most expensive input
 * and output prices (or `unknownModelPrice` when given), never at zero, so a typo in a model name can
 * only make the budget run out sooner, not let spending run unchecked. The cost says `known: false`.
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

export type BudgetPeriod = 'day' | 'month';

export interface BudgetLimits {
  /** USD per calendar day in the ledger's time zone; null for no daily cap. */
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
}

/**
 * Where spending is kept. In memory here; a SQLite repository can implement the same interface (a row
 * per call with its nano-dollars and period keys, and a row per notice) so budgets survive a restart.
 */
export interface BudgetLedger {
  record(workspaceId: string, nanoUsd: number): void;
  spent(workspaceId: string): Spend;
  /** True the first time it is called for this workspace, period and period key; false after. */
  claimNotice(workspaceId: string, period: BudgetPeriod, key: string): boolean;
}

export interface BudgetLedgerOptions {
  now: () => number;
  /** IANA zone for where a day and a month begin (the workspace's `timezone`). Default UTC. */
  timeZone?: string;
}

/** The day ('YYYY-MM-DD') and month ('YYYY-MM') a moment falls in, in an IANA time zone. */
export function periodKeysIn(timeZone: string): (ms: number) => PeriodKeys {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return (ms) => {
    const day = format.format(new Date(ms));
    return { day, month: day.slice(0, 7) };
  };
}

export function createBudgetLedger(options: BudgetLedgerOptions): BudgetLedger {
  const keysAt = periodKeysIn(options.timeZone ?? 'UTC');
  const totals = new Map<string, Spend>();
  const notices = new Set<string>();

  /** The workspace's totals, zeroed where the day or month has turned since the last call. */
  function current(workspaceId: string): Spend {
    const keys = keysAt(options.now());
    const previous = totals.get(workspaceId);
    const spend: Spend = {
      keys,
      day: previous?.keys.day === keys.day ? previous.day : 0,
      month: previous?.keys.month === keys.month ? previous.month : 0,
    };
    totals.set(workspaceId, spend);
    return spend;
  }

  return {
    record(workspaceId, nanoUsd) {
      if (!Number.isSafeInteger(nanoUsd) || nanoUsd < 0)
        throw new RangeError('nanoUsd must be a non-negative integer');
      const spend = current(workspaceId);
      spend.day += nanoUsd;
      spend.month += nanoUsd;
    },
    spent(workspaceId) {
      return { ...current(workspaceId) };
    },
    claimNotice(workspaceId, period, key) {
      const id = `${workspaceId}\u0000${period}\u0000${key}`;
      if (notices.has(id)) return false;
      notices.add(id);
      return true;
    },
  };
}

/** The first exhausted period (day before month), or null while within both limits. */
export function exhaustedPeriod(spend: Spend, limits: BudgetLimits): BudgetPeriod | null {
  if (limits.dailyUsd !== null && spend.day >= usdToNano(limits.dailyUsd)) return 'day';
  if (limits.monthlyUsd !== null && spend.month >= usdToNano(limits.monthlyUsd)) return 'month';
  return null;
}
