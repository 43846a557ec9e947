import { describe, expect, it } from 'vitest';
import { createOutboxId, createTimeOrderedId } from './outbox-id';

describe('pipeline ids', () => {
  it('outbox ids look like WhatsApp Web message ids and sort by time', () => {
    const a = createOutboxId(1_700_000_000_000);
    const b = createOutboxId(1_700_000_000_001);
    expect(a).toMatch(/^3EB0[0-9A-F]{36}$/);
    expect(a < b).toBe(true);
  });

  it('time-ordered ids are UUID v7, unique, and sort by time', () => {
    const ids = Array.from({ length: 2000 }, (_, i) =>
      createTimeOrderedId(1_700_000_000_000 + Math.floor(i / 10)),
    );
    for (const id of ids.slice(0, 20)) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(ids).size).toBe(ids.length);
    const firsts = ids.filter((_, i) => i % 10 === 0);
    expect([...firsts].sort()).toEqual(firsts);
  });
});
