/**
 * Splits a list for multi-row statements into chunks whose sizes are powers of two (largest first,
 * at most `max`): 45 rows become 32 + 8 + 4 + 1. Batches vary in size, and every distinct row count is
 * a distinct SQL text; with power-of-two chunks a statement comes in at most eight shapes, so the hot
 * path's statement cache (prepared-transactions.ts) keeps hitting instead of preparing anew each time.
 */
export function* powerOfTwoChunks<T>(items: readonly T[], max = 128): Generator<T[]> {
  let start = 0;
  while (start < items.length) {
    const left = items.length - start;
    let size = 1;
    while (size * 2 <= Math.min(left, max)) size *= 2;
    yield items.slice(start, start + size);
    start += size;
  }
}
