// Ids shaped like Meta's: wamids are opaque base64 strings that start with "wamid.".
import { randomBytes } from 'node:crypto';

export function newWamid(): string {
  return `wamid.HBgN${randomBytes(24).toString('base64url')}`;
}

export function newNumericId(digits = 15): string {
  let id = String(1 + (randomBytes(1)[0]! % 9));
  while (id.length < digits) id += String(randomBytes(1)[0]! % 10);
  return id;
}

/** E.164 "+2348090000001" -> "2348090000001" (how webhooks and `to` write numbers). */
export function digitsOf(phone: string): string {
  return phone.replace(/\D/g, '');
}

/** How GET /{phone_number_id} shows the number: "+234 809 000 0001". */
export function displayFormat(digits: string): string {
  return `+${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6, 9)} ${digits.slice(9)}`.trim();
}
