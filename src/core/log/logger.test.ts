import { describe, expect, it } from 'vitest';
import type { LogEntry, LogSink } from './log-types';
import {
  createLogger,
  entryMetaJson,
  entryToJsonLine,
  MAX_MESSAGE_CHARS,
  MAX_META_BYTES,
  REDACTED,
} from './logger';

function memorySink(): LogSink & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    write: (entry) => void entries.push(entry),
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

const T0 = 1_700_000_000_000;

function setup(options: { minLevel?: 'debug' | 'info' | 'warn' | 'error' } = {}) {
  const sink = memorySink();
  let now = T0;
  const logger = createLogger({ sinks: [sink], now: () => now, ...options });
  return { sink, logger, advance: (ms: number) => (now += ms) };
}

describe('createLogger', () => {
  it('writes entries that carry every field', () => {
    const { sink, logger } = setup();
    logger.info('message.received', 'Message from a customer', { chatId: 'c1', length: 12 });
    logger.warn('connection.changed', 'Lost the connection');
    expect(sink.entries).toEqual([
      {
        ts: T0,
        level: 'info',
        type: 'message.received',
        workspaceId: null,
        contactId: null,
        message: 'Message from a customer',
        meta: { chatId: 'c1', length: 12 },
      },
      {
        ts: T0,
        level: 'warn',
        type: 'connection.changed',
        workspaceId: null,
        contactId: null,
        message: 'Lost the connection',
        meta: null,
      },
    ]);
    expect(entryMetaJson(sink.entries[0]!)).toBe('{"chatId":"c1","length":12}');
  });

  it('skips levels below minLevel', () => {
    const { sink, logger } = setup({ minLevel: 'warn' });
    logger.debug('perf', 'x');
    logger.info('perf', 'x');
    logger.perf('perf', 3);
    logger.error('error', 'boom');
    expect(sink.entries.map((e) => e.level)).toEqual(['error']);
    expect(logger.isEnabled('info')).toBe(false);
  });

  it('children add workspace, contact and meta context; call meta wins', () => {
    const { sink, logger } = setup();
    const ws = logger.child({ workspaceId: 'ws-1', meta: { number: '+2348000000001', source: 'ws' } });
    const contact = ws.child({ contactId: 'contact-9', meta: { chatId: 'chat-9' } });
    contact.info('route.decided', 'Answered from the FAQ', { source: 'call', faqId: 'f1' });
    ws.info('number.status', 'Connected');
    logger.info('store.opened', 'Opened');
    expect(sink.entries[0]).toMatchObject({
      workspaceId: 'ws-1',
      contactId: 'contact-9',
      meta: { number: '+2348000000001', source: 'call', chatId: 'chat-9', faqId: 'f1' },
    });
    expect(sink.entries[1]).toMatchObject({ workspaceId: 'ws-1', contactId: null, meta: { source: 'ws' } });
    expect(sink.entries[2]).toMatchObject({ workspaceId: null, contactId: null, meta: null });
    // A child can also clear the context it inherited.
    ws.child({ workspaceId: null }).info('store.backup', 'Backed up');
    expect(sink.entries[3]!.workspaceId).toBeNull();
  });

  it('redacts secret keys at any depth', () => {
    const { sink, logger } = setup();
    logger.info('connection.opened', 'Paired', {
      token: 'abc',
      nested: { apiKey: 'k', API_KEY: 'k2', list: [{ Authorization: 'Bearer x', keep: 1 }] },
      creds: { noiseKey: { private: 'p' } },
      privateKey: 'pk',
      clientSecret: 's',
      userPassword: 'pw',
      accessTokenExpiry: 5,
      chatId: 'visible',
    });
    const meta = sink.entries[0]!.meta!;
    expect(meta).toEqual({
      token: REDACTED,
      nested: { apiKey: REDACTED, API_KEY: REDACTED, list: [{ Authorization: REDACTED, keep: 1 }] },
      creds: REDACTED,
      privateKey: REDACTED,
      clientSecret: REDACTED,
      userPassword: REDACTED,
      // A number under a secret-sounding name is a figure (an expiry, a count), not a secret.
      accessTokenExpiry: 5,
      chatId: 'visible',
    });
    expect(entryMetaJson(sink.entries[0]!)).not.toMatch(/Bearer|"pk"|"pw"/);
  });

  it('keeps token counts and redacts keys and bearer tokens by what they are, whatever their name', () => {
    const { sink, logger } = setup();
    logger.info('ai.answered', 'Sent with Authorization: Bearer abcdefgh12345678 to the model', {
      inputTokens: 812,
      outputTokens: 40,
      maxTokens: 300,
      tokenExpired: false,
      token: 'still-a-secret-by-name',
      detail: 'request failed with key sk-proj-AbCdEf0123456789xyz, retrying',
      header: 'Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig',
      groq: 'gsk_0123456789abcdefABCDEF',
      note: 'the sk- prefix and a Bearer word alone are not secrets',
    });
    const entry = sink.entries[0]!;
    expect(entry.meta).toEqual({
      inputTokens: 812,
      outputTokens: 40,
      maxTokens: 300,
      tokenExpired: false,
      token: REDACTED,
      detail: `request failed with key ${REDACTED}, retrying`,
      header: `Bearer ${REDACTED}`,
      groq: REDACTED,
      note: 'the sk- prefix and a Bearer word alone are not secrets',
    });
    expect(entry.message).toBe(`Sent with Authorization: Bearer ${REDACTED} to the model`);
    expect(entryMetaJson(entry)).not.toMatch(/abcdefgh1234|AbCdEf0123|eyJhbGci|gsk_0123/);
  });

  it('makes circular, BigInt, function, symbol and odd values safe', () => {
    const { sink, logger } = setup();
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    circular.list = [circular, 1];
    const shared = { id: 1 };
    const getterThrows = Object.defineProperty({}, 'bad', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    logger.info('perf', 'odd', {
      circular,
      twice: [shared, shared],
      big: 12345678901234567890n,
      fn: function handler() {},
      sym: Symbol('s'),
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      undef: undefined,
      date: new Date(T0),
      map: new Map([['a', 1]]),
      set: new Set([1, 2]),
      bytes: Buffer.from('hello'),
      getterThrows,
      nullProto: Object.assign(Object.create(null), { a: 1 }),
    });
    const meta = sink.entries[0]!.meta!;
    expect(meta).toEqual({
      circular: { name: 'loop', self: '[circular]', list: ['[circular]', 1] },
      twice: [{ id: 1 }, { id: 1 }],
      big: '12345678901234567890',
      fn: '[function handler]',
      sym: 'Symbol(s)',
      nan: 'NaN',
      inf: 'Infinity',
      date: new Date(T0).toISOString(),
      map: { a: 1 },
      set: [1, 2],
      bytes: '[Buffer 5 bytes]',
      getterThrows: { bad: '[unreadable]' },
      nullProto: { a: 1 },
    });
    expect(() => JSON.parse(entryMetaJson(sink.entries[0]!)!)).not.toThrow();
  });

  it('turns Error objects into name, message, code and stack', () => {
    const { sink, logger } = setup();
    const cause = Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' });
    const error = new TypeError('write failed', { cause });
    logger.error('error', 'Could not save', { error });
    logger.error('error', 'Bare error as meta', error as unknown as Record<string, unknown>);
    const first = sink.entries[0]!.meta!.error as Record<string, unknown>;
    expect(first).toMatchObject({ name: 'TypeError', message: 'write failed' });
    expect(first.stack).toContain('write failed');
    expect(first.cause).toMatchObject({ name: 'Error', message: 'disk full', code: 'SQLITE_FULL' });
    expect(sink.entries[1]!.meta).toMatchObject({ name: 'TypeError', message: 'write failed' });
  });

  it('a sink that throws does not break the caller or the other sinks', async () => {
    const good = memorySink();
    const bad: LogSink = {
      write: () => {
        throw new Error('sink broke');
      },
      flush: () => Promise.reject(new Error('flush broke')),
      close: () => {
        throw new Error('close broke');
      },
    };
    const logger = createLogger({ sinks: [bad, good] });
    expect(() => logger.info('message.sent', 'Sent')).not.toThrow();
    expect(good.entries).toHaveLength(1);
    await expect(logger.flush()).resolves.toBeUndefined();
    await expect(logger.close()).resolves.toBeUndefined();
    expect(logger.stats().sinkErrors).toBe(3);
  });

  it('never throws for weird input', () => {
    const { sink, logger } = setup();
    const anyLogger = logger as unknown as Record<string, (...args: unknown[]) => void>;
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys');
        },
      },
    );
    const calls: unknown[][] = [
      ['message.received', undefined],
      [undefined, undefined, undefined],
      [42, { toString: () => 'object message' }, 'not an object'],
      ['perf', Object.create(null)],
      ['x'.repeat(500), 'long type'],
      ['message.received', 'lone \uD800 surrogate \uDC00 here', { text: 'bad \uDBFF' }],
      ['message.received', 'a'.repeat(10 * 1024 * 1024), { blob: 'b'.repeat(1024 * 1024) }],
      [
        'message.received',
        'many blobs',
        Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`b${i}`, 'c'.repeat(9000)])),
      ],
      ['message.received', 'array meta', [1, 2, 3]],
      ['message.received', 'hostile meta', hostile],
      ['message.received', 'deep', nest(200)],
      ['message.received', 'wide', Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]))],
    ];
    for (const args of calls) {
      for (const level of ['debug', 'info', 'warn', 'error'])
        expect(() => anyLogger[level]!(...args)).not.toThrow();
    }
    expect(() => logger.log('nonsense' as 'info', 'perf', 'bad level')).not.toThrow();
    expect(() => logger.perf('perf', Number.NaN, hostile as Record<string, unknown>)).not.toThrow();
    expect(() => logger.child(hostile as never).info('perf', 'x')).not.toThrow();
    // Detached methods have no `this`: they drop the entry instead of throwing.
    const { info, perf, time } = logger;
    expect(() => info('perf', 'detached')).not.toThrow();
    expect(() => perf('perf', 1)).not.toThrow();
    expect(() => time('perf')()).not.toThrow();
    expect(logger.stats().internalErrors).toBe(0);

    for (const entry of sink.entries) {
      expect(entry.type.length).toBeGreaterThan(0);
      expect(entry.type.length).toBeLessThanOrEqual(100);
      expect(entry.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS + 64);
      expect(isWellFormed(entry.message)).toBe(true);
      const json = entryMetaJson(entry);
      if (json !== null) expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_META_BYTES);
      expect(isWellFormed(json ?? '')).toBe(true);
      expect(() => JSON.parse(entryToJsonLine(entry))).not.toThrow();
    }
    const surrogate = sink.entries.find((e) => e.message.startsWith('lone'))!;
    expect(surrogate.message).toBe('lone \uFFFD surrogate \uFFFD here');
    expect(surrogate.meta).toEqual({ text: 'bad \uFFFD' });
    const huge = sink.entries.find((e) => e.message.startsWith('aaaa'))!;
    expect(huge.message).toContain('chars truncated');
    // One long string is cut inside meta; many of them together pass the meta cap and are replaced.
    expect((huge.meta!.blob as string).length).toBeLessThan(9000);
    const blobs = sink.entries.find((e) => e.message === 'many blobs')!;
    expect(blobs.meta).toMatchObject({ metaTruncated: true });
    expect((blobs.meta!.bytes as number) > MAX_META_BYTES).toBe(true);
    expect(sink.entries.find((e) => e.message === 'array meta')!.meta).toEqual({ value: [1, 2, 3] });
    expect(sink.entries.find((e) => e.message === '')).toBeDefined();
  });

  it('perf and time() log durations as info with meta.durationMs', () => {
    const { sink, logger, advance } = setup();
    logger.perf('perf', 12.34567, { op: 'send' });
    const stop = logger.time('route.decided');
    advance(40);
    expect(stop({ chatId: 'c' })).toBe(40);
    expect(sink.entries[0]).toMatchObject({
      level: 'info',
      type: 'perf',
      meta: { op: 'send', durationMs: 12.346 },
    });
    expect(sink.entries[1]).toMatchObject({
      level: 'info',
      type: 'route.decided',
      meta: { chatId: 'c', durationMs: 40 },
    });
  });

  it('entryToJsonLine writes one parseable line', () => {
    const { sink, logger } = setup();
    logger.child({ workspaceId: 'ws', contactId: 'c' }).info('message.sent', 'line\nbreak', { a: [1] });
    const line = entryToJsonLine(sink.entries[0]!);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      ts: T0,
      level: 'info',
      type: 'message.sent',
      workspaceId: 'ws',
      contactId: 'c',
      message: 'line\nbreak',
      meta: { a: [1] },
    });
  });
});

function nest(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < depth; i++) value = { child: value };
  return value;
}

function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
