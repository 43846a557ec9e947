/**
 * Turns whatever a shop owner types, pastes or receives (a local number, a number with a country code, a
 * WhatsApp JID) into one E.164 string, so that the same customer is always the same key in the store and
 * the same JID on the wire. Validity comes from libphonenumber's full ("max") metadata: the per-country
 * number plans are far too detailed, and change too often, to be written here as rules.
 */
import {
  getCountryCallingCode,
  getExampleNumber,
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { err, ok, type Result } from '../../shared/errors';
import type { E164 } from '../../shared/types';
import { SwitchboardError } from '../errors';

export const PHONE_ERROR_REASONS = [
  'EMPTY',
  'NOT_A_STRING',
  'INVALID_CHARACTERS',
  'TOO_SHORT',
  'TOO_LONG',
  'INVALID_NUMBER',
  'UNKNOWN_COUNTRY_CODE',
  'INVALID_COUNTRY',
  'GROUP_JID',
  'LID',
  'NOT_A_PHONE_JID',
  'TOO_LONG_INPUT',
] as const;
export type PhoneErrorReason = (typeof PHONE_ERROR_REASONS)[number];

export interface PhoneNumberError {
  reason: PhoneErrorReason;
  /** For a person: what is wrong and what to type instead. */
  message: string;
  /** The input as given (cut to MAX_INPUT_LENGTH when it was longer; '' when it was not a string). */
  input: string;
}

/**
 * No real number, even formatted with spaces, a JID server and a device suffix, comes near this. The
 * cap keeps a pasted paragraph (or a hostile megabyte over IPC) away from the parser and out of logs.
 */
export const MAX_INPUT_LENGTH = 64;

const NIGERIA_CALLING_CODE = '234';
/** ITU-T E.164: at most 15 digits, country code included. */
const MAX_E164_DIGITS = 15;
/**
 * The shortest subscriber numbers anywhere (Niue, Tokelau: +683 and +690 with four digits) have seven
 * digits in all. libphonenumber also calls some shorter service codes valid (Iranian and German UANs such
 * as +98 9686); they cannot hold a WhatsApp account.
 */
const MIN_E164_DIGITS = 7;

// Arabic, Persian and Hindi keyboards type their own digits, which NFKC leaves alone.
const NATIVE_DIGIT_ZEROS = [0x0660, 0x06f0, 0x0966];

// Prefixes seen in exported contacts and copied links (RFC 3966 `tel:`, Twilio's `whatsapp:`): they name
// the scheme, not part of the number.
const SCHEME_PREFIXES = ['tel:', 'whatsapp:'];

// Who uses a JID server decides whether the user part is a phone number. `hosted` is a Cloud API account
// that is still addressed by its phone number; `hosted.lid` is its LID.
const PHONE_JID_SERVERS = new Set(['s.whatsapp.net', 'c.us', 'hosted']);
const LID_SERVERS = new Set(['lid', 'hosted.lid']);

type Outcome = Result<E164, PhoneNumberError>;

export function normalizePhoneNumber(input: string, defaultCountry: string): Outcome {
  if (typeof input !== 'string') {
    return fail(
      'NOT_A_STRING',
      '',
      `Expected the phone number as text but got ${describeType(input)}. This is a bug in the caller.`,
    );
  }
  if (input.length > MAX_INPUT_LENGTH) {
    return fail(
      'TOO_LONG_INPUT',
      `${input.slice(0, MAX_INPUT_LENGTH)}…`,
      `That is ${input.length} characters long, too long to be a phone number. Enter a single number, ` +
        'e.g. +234 803 123 4567.',
    );
  }
  const country = toCountryCode(defaultCountry);
  if (country === undefined) {
    return fail(
      'INVALID_COUNTRY',
      input,
      `The default country ${quote(defaultCountry)} is not a supported two-letter country ` +
        "code (ISO 3166, e.g. 'NG'). Check the workspace's country setting.",
    );
  }

  const shown = clean(input);
  if (shown === '') {
    return fail('EMPTY', input, `No phone number was entered. Type one, e.g. ${exampleFor(country)}.`);
  }
  const text = stripScheme(shown);
  const at = text.indexOf('@');
  return at === -1
    ? normalizeTyped(text, shown, input, country)
    : normalizeJid(text.slice(0, at), text.slice(at + 1), shown, input);
}

export function normalizePhoneNumberOrThrow(input: string, defaultCountry: string, what?: string): E164 {
  const result = normalizePhoneNumber(input, defaultCountry);
  if (result.ok) return result.value;
  const { reason, message } = result.error;
  const label = what === undefined || what.trim() === '' ? undefined : what.trim();
  throw new SwitchboardError(
    'INVALID_PHONE_NUMBER',
    label === undefined ? message : `${capitalize(label)}: ${message}`,
    label === undefined
      ? { reason, input: result.error.input }
      : { reason, input: result.error.input, what: label },
  );
}

/** True only for strings `normalizePhoneNumber` could have returned: `+`, digits, a valid number. */
export function isE164(value: string): value is E164 {
  if (typeof value !== 'string' || !value.startsWith('+') || value.length > MAX_E164_DIGITS + 1) return false;
  const parsed = safeParse(value);
  return parsed !== undefined && parsed.number === value && toE164(parsed) !== undefined;
}

/** The digits WhatsApp uses as the user part of a JID and in pairing-code requests. */
export function phoneNumberToJidUser(e164: E164): string {
  // The brand is only a compile-time promise; a cast or an old database row can still break it, and a
  // malformed JID would be sent to WhatsApp rather than rejected here.
  if (!isE164(e164)) {
    throw new SwitchboardError(
      'INVALID_PHONE_NUMBER',
      `${quote(e164)} is not a normalized phone number; normalize it before making a JID.`,
      { input: typeof e164 === 'string' ? e164 : '' },
    );
  }
  return e164.slice(1);
}

function normalizeTyped(text: string, shown: string, input: string, country: CountryCode): Outcome {
  const scanned = scan(text);
  if (!scanned.ok) {
    return fail(
      'INVALID_CHARACTERS',
      input,
      scanned.error === '+'
        ? `"${shown}" has a + that is not at the start. Put the + only before the country code, e.g. ` +
            '+234 803 123 4567.'
        : `"${shown}" contains ${JSON.stringify(scanned.error)}, which cannot be part of a phone number. ` +
            'Use only digits, spaces, dashes, brackets and an optional + at the start (no extensions or words).',
    );
  }
  const { plus, digits } = scanned.value;
  if (digits === '') {
    return fail('EMPTY', input, `"${shown}" has no digits. Type the number, e.g. ${exampleFor(country)}.`);
  }

  if (plus) {
    const found = acceptInternational(`+${digits}`);
    return found !== undefined ? ok(found) : explainInternational(`+${digits}`, shown, input);
  }

  // libphonenumber's national reading already copes with the trunk 0, the country's own international
  // prefix (009 in Nigeria, 011 in the US) and a country code typed without the + (2348031234567).
  const national = toE164(safeParse(digits, country));
  if (national !== undefined) return ok(national);

  if (getCountryCallingCode(country) === NIGERIA_CALLING_CODE && digits.startsWith('0')) {
    const landline = fromLegacyNigerianLandline(digits.slice(1));
    if (landline !== undefined) return ok(landline);
  }

  // 00 is the international prefix in most of the world (though not in Nigeria, which uses 009), so a
  // number copied from a foreign card or website often starts with it. Only tried once the national
  // reading has failed, so that it never overrides a valid local number.
  if (digits.startsWith('00')) {
    const found = acceptInternational(`+${digits.slice(2)}`);
    if (found !== undefined) return ok(found);
  }

  // wa.me links, WhatsApp's "copy number" and most CRMs export numbers as bare international digits
  // (14155552671). A valid local reading always wins; this is the fallback for when there is none.
  const found = acceptInternational(`+${digits}`);
  if (found !== undefined) return ok(found);

  return explainNational(digits, shown, input, country);
}

function normalizeJid(userPart: string, serverPart: string, shown: string, input: string): Outcome {
  const server = serverPart.toLowerCase();
  if (server === 'g.us') {
    return fail(
      'GROUP_JID',
      input,
      `"${shown}" is a WhatsApp group, not a phone number. Use the number of a person in the group instead.`,
    );
  }
  if (LID_SERVERS.has(server)) {
    return fail(
      'LID',
      input,
      `"${shown}" is a LID: a LID is WhatsApp's private id for a user, not a phone number, and the number ` +
        'cannot be worked out from it. Ask the customer for their number, or wait until WhatsApp shares it.',
    );
  }
  if (!PHONE_JID_SERVERS.has(server)) {
    return fail('NOT_A_PHONE_JID', input, describeNonPhoneJid(shown, userPart, server));
  }

  // A JID user is `number[_agent][:device]`; the agent and device say which linked device sent the
  // message, and the same person must map to the same number whichever device they used.
  const [userAndAgent = '', device, ...extraColons] = userPart.split(':');
  const [user = '', agent, ...extraUnderscores] = userAndAgent.split('_');
  const suffixesOk =
    extraColons.length === 0 &&
    extraUnderscores.length === 0 &&
    (device === undefined || isAsciiDigits(device)) &&
    (agent === undefined || isAsciiDigits(agent));
  if (!suffixesOk || !isAsciiDigits(user)) {
    return fail(
      'NOT_A_PHONE_JID',
      input,
      `"${shown}" looks like a WhatsApp id, but the part before the @ is not a phone number. Type the ` +
        'number itself, e.g. +234 803 123 4567.',
    );
  }
  // A phone JID always carries the full international number without the +; reading it with the default
  // country would turn a foreign customer into a local one.
  const found = acceptInternational(`+${user}`);
  return found !== undefined ? ok(found) : explainInternational(`+${user}`, shown, input);
}

/** A valid international number, or (for +234) a legacy landline moved into the 020 range. */
function acceptInternational(text: string): E164 | undefined {
  const parsed = safeParse(text);
  if (parsed === undefined) return undefined;
  const valid = toE164(parsed);
  if (valid !== undefined) return valid;
  if (parsed.countryCallingCode === NIGERIA_CALLING_CODE) {
    return fromLegacyNigerianLandline(parsed.nationalNumber);
  }
  return undefined;
}

/**
 * The NCC moved Nigeria's geographic numbers into the 020 range: the old area code and subscriber number
 * are kept and prefixed with 20 (Lagos `01 234 5678` became `0201 234 5678`, Abuja `09 461 2345` became
 * `0209 461 2345`). Shop signs, invoices and contact lists still carry the old form, which is no longer
 * dialable. Accepting it only when the result is a FIXED_LINE in the current plan means the metadata, not
 * this file, decides which area codes exist, and a mistyped mobile number is not silently made a landline.
 */
function fromLegacyNigerianLandline(oldNationalNumber: string): E164 | undefined {
  const parsed = safeParse(`+${NIGERIA_CALLING_CODE}20${oldNationalNumber}`);
  return parsed !== undefined && safeGetType(parsed) === 'FIXED_LINE' ? toE164(parsed) : undefined;
}

function explainInternational(text: string, shown: string, input: string): Outcome {
  const parsed = safeParse(text);
  const prefix = parsed === undefined ? undefined : `+${parsed.countryCallingCode}`;
  switch (e164LengthProblem(parsed) ?? safeValidateLength(text)) {
    case 'INVALID_COUNTRY':
      return fail(
        'UNKNOWN_COUNTRY_CODE',
        input,
        `"${shown}" does not start with a known country code. Write the country code first (e.g. +234 for ` +
          'Nigeria, +44 for the UK), then the number without its leading 0.',
      );
    case 'TOO_SHORT':
    case 'NOT_A_NUMBER':
      return fail(
        'TOO_SHORT',
        input,
        `"${shown}" is too short for ${prefix === undefined ? 'a phone number' : `a ${prefix} number`}. ` +
          'Check that no digits are missing.',
      );
    case 'TOO_LONG':
      return fail(
        'TOO_LONG',
        input,
        `"${shown}" has too many digits for ${prefix === undefined ? 'a phone number' : `a ${prefix} number`}. ` +
          'Check for extra digits, and enter one number at a time.',
      );
    default:
      return fail(
        'INVALID_NUMBER',
        input,
        `"${shown}" is not a valid ${prefix === undefined ? 'phone' : prefix} number. Check the digits and ` +
          'the country code.',
      );
  }
}

function explainNational(digits: string, shown: string, input: string, country: CountryCode): Outcome {
  const where = countryName(country);
  switch (e164LengthProblem(safeParse(digits, country)) ?? safeValidateLength(digits, country)) {
    case 'TOO_SHORT':
    case 'NOT_A_NUMBER':
      return fail(
        'TOO_SHORT',
        input,
        `"${shown}" is too short to be a phone number in ${where}. Check that no digits are missing, ` +
          `e.g. ${exampleFor(country)}.`,
      );
    case 'TOO_LONG':
      return fail(
        'TOO_LONG',
        input,
        `"${shown}" has too many digits for a phone number in ${where}. Check for extra digits, and enter ` +
          'one number at a time.',
      );
    default:
      return fail(
        'INVALID_NUMBER',
        input,
        `"${shown}" is not a valid phone number in ${where}. Check the digits; for a number from another ` +
          'country, start with + and its country code (e.g. +44 20 7946 0958).',
      );
  }
}

function describeNonPhoneJid(shown: string, user: string, server: string): string {
  if (server === 'broadcast') {
    return user.toLowerCase() === 'status'
      ? `"${shown}" is WhatsApp Status, not a phone number.`
      : `"${shown}" is a WhatsApp broadcast list, not a phone number. Use the number of one recipient.`;
  }
  if (server === 'newsletter') return `"${shown}" is a WhatsApp channel, not a phone number.`;
  return (
    `"${shown}" is not a phone number (it looks like an email address or another kind of WhatsApp id). ` +
    'Type the number itself, e.g. +234 803 123 4567.'
  );
}

/**
 * Unicode that looks like a number but is not ASCII: full-width digits and spaces (NFKC folds them),
 * non-breaking spaces, and invisible format characters (zero-width spaces, direction marks, BOM) that
 * come along when a number is copied from a web page, a PDF or a WhatsApp chat.
 */
function clean(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

function stripScheme(text: string): string {
  const lower = text.toLowerCase();
  const scheme = SCHEME_PREFIXES.find((prefix) => lower.startsWith(prefix));
  return scheme === undefined ? text : text.slice(scheme.length).trim();
}

/**
 * Separates layout from content before the parser sees it. libphonenumber would skip letters and
 * anything after them (reading "0803 ext 5" as 0803), which would accept a number the owner did not mean.
 */
function scan(text: string): Result<{ plus: boolean; digits: string }, string> {
  let plus = false;
  let digits = '';
  for (const char of text) {
    const digit = asciiDigit(char);
    if (digit !== undefined) {
      digits += digit;
    } else if (char === '+' && !plus && digits === '') {
      plus = true;
    } else if (!isSeparator(char)) {
      return err(char);
    }
  }
  return ok({ plus, digits });
}

function asciiDigit(char: string): string | undefined {
  if (char >= '0' && char <= '9') return char;
  const code = char.codePointAt(0) ?? 0;
  const zero = NATIVE_DIGIT_ZEROS.find((start) => code >= start && code <= start + 9);
  return zero === undefined ? undefined : String(code - zero);
}

function isSeparator(char: string): boolean {
  return char === ' ' || char === '.' || char === '(' || char === ')' || char === '/' || /\p{Pd}/u.test(char);
}

function isAsciiDigits(text: string): boolean {
  if (text === '') return false;
  for (const char of text) if (char < '0' || char > '9') return false;
  return true;
}

function toCountryCode(value: unknown): CountryCode | undefined {
  if (typeof value !== 'string') return undefined;
  const upper = value.trim().toUpperCase();
  return isSupportedCountry(upper) ? upper : undefined;
}

// libphonenumber throws on some malformed input and on metadata edge cases; the contract of this module is
// a Result for every string, so every call into it goes through one of these.
function safeParse(text: string, country?: CountryCode): PhoneNumber | undefined {
  try {
    return parsePhoneNumberFromString(text, country === undefined ? undefined : { defaultCountry: country });
  } catch {
    return undefined;
  }
}

/**
 * The number as E.164, or undefined when it is not valid. libphonenumber calls some numbers valid that
 * E.164 or WhatsApp cannot use: longer than 15 digits (German extensions, long Nigerian and Japanese
 * service numbers) or short service codes. Neither can be a WhatsApp account or be stored as an E164.
 */
function toE164(parsed: PhoneNumber | undefined): E164 | undefined {
  return parsed !== undefined && safeIsValid(parsed) && e164LengthProblem(parsed) === undefined
    ? (parsed.number as E164)
    : undefined;
}

/** For a number valid in its country's plan: whether E.164 still refuses it for its length. */
function e164LengthProblem(parsed: PhoneNumber | undefined): 'TOO_SHORT' | 'TOO_LONG' | undefined {
  if (parsed === undefined || !safeIsValid(parsed)) return undefined;
  const digits = parsed.number.length - 1;
  if (digits > MAX_E164_DIGITS) return 'TOO_LONG';
  return digits < MIN_E164_DIGITS ? 'TOO_SHORT' : undefined;
}

function safeIsValid(parsed: PhoneNumber): boolean {
  try {
    return parsed.isValid();
  } catch {
    return false;
  }
}

function safeGetType(parsed: PhoneNumber): string | undefined {
  try {
    return parsed.getType();
  } catch {
    return undefined;
  }
}

function safeValidateLength(text: string, country?: CountryCode): string | undefined {
  try {
    return validatePhoneNumberLength(text, country === undefined ? undefined : { defaultCountry: country });
  } catch {
    return undefined;
  }
}

const exampleCache = new Map<CountryCode, string>();

function exampleFor(country: CountryCode): string {
  let example = exampleCache.get(country);
  if (example === undefined) {
    try {
      const number = getExampleNumber(country, examples);
      if (number !== undefined) example = `${number.formatNational()} or ${number.formatInternational()}`;
    } catch {
      // An example only decorates an error message; a missing one must not turn into a thrown error.
    }
    example ??= '+234 803 123 4567';
    exampleCache.set(country, example);
  }
  return example;
}

let regionNames: Intl.DisplayNames | undefined;

function countryName(country: CountryCode): string {
  try {
    regionNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
    return regionNames.of(country) ?? country;
  } catch {
    // Builds of Node or Electron without full ICU have no region names; the code is still understandable.
    return country;
  }
}

function fail(reason: PhoneErrorReason, input: string, message: string): Outcome {
  return err({ reason, message, input });
}

/** For messages about values from callers; String() itself throws for some objects. */
function quote(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : describeType(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
