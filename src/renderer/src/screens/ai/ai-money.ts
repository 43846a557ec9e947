import type { AiStatus } from '../../../../shared/contract';
import { currencySign } from '../../../../shared/money-input';

export type Currency = AiStatus['currency'];

/** Enough digits to tell a few cents from nothing. */
const digits = (value: number) => (value > 0 && value < 0.01 ? 4 : 2);
const usdText = (value: number) => `US$${value.toFixed(digits(value))}`;

/** An amount kept in US$, shown in the shop's currency at the owner's rate (and in US$ beside it). */
export function money(valueUsd: number, currency: Currency): string {
  if (currency.code === 'USD') return usdText(valueUsd);
  const local = valueUsd * currency.perUsd;
  const text = local.toLocaleString('en', {
    minimumFractionDigits: digits(local),
    maximumFractionDigits: digits(local),
  });
  return `${currencySign(currency.code)}${text}`;
}

/** A budget as the form shows it: in the shop's currency, without a sign; '' for no limit. */
export const budgetText = (valueUsd: number | null, currency: Currency) =>
  valueUsd === null ? '' : String(Math.round(valueUsd * currency.perUsd * 10_000) / 10_000);

/** "HH:MM" in the shop's time zone (the owner's clock, not this browser's). */
export function clockTime(at: number, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }).format(at);
  } catch {
    return new Date(at).toISOString().slice(11, 16);
  }
}
