import { randomFillSync } from 'node:crypto';

/**
 * Ids the pipeline writes on its hot path, time-ordered on purpose: random ids (UUID v4) land on a
 * random page of every index they are in, so each new row dirties pages all over the file and every
 * commit writes them all to the WAL. An id that starts with the time appends to the end of the index
 * instead. The rest stays random (80+ bits), so ids remain unguessable and safe to merge across machines.
 */

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/** Random bytes from a pool refilled 4 KB at a time: one system call per ~300 ids, not one per id. */
function randomHex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

function timeHex(now: number): string {
  return Math.max(0, Math.floor(now)).toString(16).padStart(12, '0').slice(-12);
}

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, in the usual
 * 8-4-4-4-12 form, so it looks like every other id in the database.
 */
export function createTimeOrderedId(now: number = Date.now()): string {
  const t = timeHex(now);
  const r = randomHex(10);
  const variant = ((parseInt(r[3]!, 16) & 0x3) | 0x8).toString(16);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r.slice(0, 3)}-${variant}${r.slice(4, 7)}-${r.slice(8, 20)}`;
}

/**
 * Outbox ids double as WhatsApp message ids (SendOptions.messageId): shaped like the ids WhatsApp Web
 * itself generates ('3EB0' + 36 upper-case hex, as Baileys' generateMessageID), so a reply looks like
 * any other message to the recipient's phone; time-ordered inside, for the reason above.
 */
export function createOutboxId(now: number = Date.now()): string {
  return `3EB0${timeHex(now)}${randomHex(12)}`.toUpperCase();
}
