// The first bytes of a file say what it is, whatever its name claims: a renamed .exe is not a photo,
// and WhatsApp (and the customer's phone) would refuse a "JPEG" that is not one.
const startsWith = (head: Buffer, bytes: readonly number[], at = 0) =>
  head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const CHECKS: Record<string, (head: Buffer) => boolean> = {
  'image/jpeg': (h) => startsWith(h, [0xff, 0xd8, 0xff]),
  'image/png': (h) => startsWith(h, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'application/pdf': (h) => startsWith(h, ascii('%PDF-')),
  // Text: no NUL byte in what was read (UTF-8 and the usual code pages never have one).
  'text/plain': (h) => !h.includes(0),
  'application/msword': (h) => startsWith(h, OLE),
  'application/vnd.ms-excel': (h) => startsWith(h, OLE),
  'application/vnd.ms-powerpoint': (h) => startsWith(h, OLE),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': (h) => startsWith(h, ZIP),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': (h) => startsWith(h, ZIP),
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': (h) => startsWith(h, ZIP),
  'audio/ogg': (h) => startsWith(h, ascii('OggS')),
  // An ID3 tag, or straight into an MPEG audio frame (11 sync bits).
  'audio/mpeg': (h) => startsWith(h, ascii('ID3')) || (h[0] === 0xff && ((h[1] ?? 0) & 0xe0) === 0xe0),
  'audio/mp4': (h) => startsWith(h, ascii('ftyp'), 4),
  'audio/aac': (h) => h[0] === 0xff && ((h[1] ?? 0) & 0xf6) === 0xf0,
  'audio/amr': (h) => startsWith(h, ascii('#!AMR')),
};

/** How many bytes `matchesType` needs to see. */
export const SIGNATURE_BYTES = 4096;

/** Whether a file's first bytes fit the type its name or declared type gave it. */
export function matchesType(mime: string, head: Buffer): boolean {
  const check = CHECKS[mime];
  return check === undefined ? false : check(head);
}
