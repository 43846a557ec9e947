import { describe, expect, it } from 'vitest';
import { createFakeTimers } from '../testing/fake-timers';
import { createMemorySink } from '../testing/memory-sink';
import { createFoldedWarnings } from './folded-warnings';
import { createLogger } from './logger';

describe('folded warnings', () => {
  it('a flood is one row at once, then one row a minute with its count; quiet keys start afresh', async () => {
    const timers = createFakeTimers();
    const sink = createMemorySink();
    const logger = createLogger({ sinks: [sink], now: () => timers.now() });
    const folded = createFoldedWarnings(logger, { timers });
    const refuse = (reason: string) =>
      folded.warn(reason, 'cloud.webhook_refused', `Webhook refused: ${reason}`, { reason });

    // 2,000 forged POSTs in three minutes, and one of another kind.
    for (let i = 0; i < 2_000; i++) {
      refuse('bad-signature');
      if (i === 10) refuse('missing-signature');
      await timers.advance(90);
    }
    const rows = sink.ofType('cloud.webhook_refused');
    // 180 s: the first at once, then one per minute (the last minute's still counting).
    expect(rows.length).toBeLessThanOrEqual(5);
    folded.flush();
    const all = sink.ofType('cloud.webhook_refused');
    const total = (reason: string) =>
      all.filter((r) => r.meta?.reason === reason).reduce((n, r) => n + Number(r.meta?.count), 0);
    expect(total('bad-signature')).toBe(2_000);
    expect(total('missing-signature')).toBe(1);
    // A quiet minute later, the next one is written at once again.
    await timers.advance(120_000);
    refuse('bad-signature');
    expect(sink.ofType('cloud.webhook_refused').at(-1)?.meta).toMatchObject({ count: 1 });
  });
});
