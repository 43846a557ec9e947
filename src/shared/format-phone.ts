/**
 * E.164 as people write it: `+2348031234567` -> `+234 803 123 4567`. Display only (imports nothing, so
 * the renderer, the tray and notifications can share it); parsing stays in the core.
 */
export function formatPhone(e164: string): string {
  const digits = e164.startsWith('+') ? e164.slice(1) : e164;
  if (!/^\d{6,15}$/.test(digits)) return e164;
  // Nigeria, the app's home: +234 and ten national digits grouped 3-3-4.
  const nigeria = /^234(\d{3})(\d{3})(\d{4})$/.exec(digits);
  if (nigeria !== null) return `+234 ${nigeria[1]} ${nigeria[2]} ${nigeria[3]}`;
  // Elsewhere: the country code (1-3 digits, by ITU's table), then the rest in threes.
  const country =
    digits.startsWith('1') || digits.startsWith('7')
      ? digits.slice(0, 1)
      : TWO_DIGIT_CODES.has(digits.slice(0, 2))
        ? digits.slice(0, 2)
        : digits.slice(0, 3);
  const rest = digits.slice(country.length);
  const groups = rest.match(/.{1,3}/g) ?? [];
  if (groups.length > 1 && groups.at(-1)!.length === 1) {
    const last = groups.pop()!;
    groups[groups.length - 1] += last;
  }
  return `+${country} ${groups.join(' ')}`;
}

/** ITU country codes of two digits; the rest (but 1 and 7) have three. */
const TWO_DIGIT_CODES = new Set(
  '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(
    ' ',
  ),
);
