import { formatPhone } from '../../shared/format-phone';
import type { E164 } from '../../shared/types';

/**
 * What the owner reads when the QR of `registered` was scanned with the WhatsApp of another number.
 * WhatsApp links a QR to whichever account scans it, so the mistake only shows after the scan: the
 * sentence names both numbers, as the owner writes them, and says which phone to use.
 */
export function wrongPhoneMessage(registered: E164, linked: E164 | undefined): string {
  const want = formatPhone(registered);
  const got = linked === undefined ? 'another number' : formatPhone(linked);
  return `This QR was scanned with the WhatsApp of ${got}, not ${want}. Scan again with the phone that has ${want}.`;
}
