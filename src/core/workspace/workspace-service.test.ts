import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceId } from '../../shared/types';
import { isSwitchboardError } from '../errors';
import { createLogger } from '../log/logger';
import { createMemorySink } from '../testing/memory-sink';
import { openTempStore } from '../testing/temp-files';
import type { Store } from '../store/open-database';
import { createWorkspaceService, type WorkspaceService } from './workspace-service';

let store: Store;
let cleanup: () => Promise<void>;
let service: WorkspaceService;
let sink: ReturnType<typeof createMemorySink>;
let time = 1_700_000_000_000;

beforeEach(async () => {
  ({ store, cleanup } = await openTempStore());
  sink = createMemorySink();
  let n = 0;
  service = createWorkspaceService({
    store,
    logger: createLogger({ sinks: [sink], now: () => time }),
    clock: { now: () => time },
    newId: () => `id-${++n}`,
  });
});
afterEach(() => cleanup());

async function expectError(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isSwitchboardError(error), String(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  expect((error as Error).message).toMatch(pattern);
}

describe('workspace service', () => {
  it('creates a workspace with defaults and logs it', async () => {
    const ws = await service.create({ name: '  Mama Nkechi Kitchen  ' });
    expect(ws).toMatchObject({
      name: 'Mama Nkechi Kitchen',
      defaultCountry: 'NG',
      botMode: 'faq',
      tier: 'free',
      createdAt: time,
    });
    expect(ws.settings.timezone).toBe('Africa/Lagos');
    expect(await service.get(ws.id)).toEqual(ws);
    expect(sink.ofType('workspace.created')).toHaveLength(1);
    expect(sink.ofType('workspace.created')[0]?.meta).toMatchObject({ workspaceId: ws.id, botMode: 'faq' });
  });

  it('lists, updates and deletes', async () => {
    const a = await service.create({ name: 'A', defaultCountry: 'gh', botMode: 'hybrid', tier: 'pro' });
    const b = await service.create({ name: 'B' });
    expect((await service.list()).map((w) => w.name)).toEqual(['A', 'B']);
    expect(a.defaultCountry).toBe('GH');
    time += 1000;
    const updated = await service.update(b.id, { botMode: 'ai', name: 'B2' });
    expect(updated).toMatchObject({ name: 'B2', botMode: 'ai', updatedAt: time });
    await service.delete(a.id);
    expect((await service.list()).map((w) => w.id)).toEqual([b.id]);
    await expectError(service.get(a.id), 'NOT_FOUND', /No workspace/);
    expect(sink.ofType('workspace.deleted')).toHaveLength(1);
  });

  it('merges settings and validates them', async () => {
    const ws = await service.create({ name: 'Pharmacy' });
    const updated = await service.updateSettings(ws.id, {
      faq: { threshold: 0.7 },
      handoff: { ownerPauseMinutes: 10 },
    });
    expect(updated.settings.faq.threshold).toBe(0.7);
    expect(updated.settings.handoff.ownerPauseMinutes).toBe(10);
    expect(updated.settings.handoff.keywords).toContain('agent');
    await expectError(
      service.updateSettings(ws.id, { faq: { threshold: 3 } }),
      'VALIDATION',
      /faq.threshold/,
    );
    expect((await service.get(ws.id)).settings.faq.threshold).toBe(0.7);
  });

  it('adds numbers normalised with the workspace country and refuses duplicates across workspaces', async () => {
    const a = await service.create({ name: 'A' });
    const b = await service.create({ name: 'B' });
    const n = await service.addNumber(a.id, { number: '0803 123 4567', label: 'Front desk' });
    expect(n).toMatchObject({
      e164: '+2348031234567',
      provider: 'baileys',
      status: 'unpaired',
      label: 'Front desk',
    });
    await expectError(
      service.addNumber(a.id, { number: '+234 803 123 4567' }),
      'CONFLICT',
      /already linked to this workspace/,
    );
    await expectError(service.addNumber(b.id, { number: '2348031234567' }), 'CONFLICT', /another workspace/);
    expect(await service.ownerOfNumber(n.e164)).toEqual({ workspaceId: a.id, phoneNumberId: n.id });
    expect(await service.listNumbers(b.id)).toEqual([]);
    // A Ghanaian workspace reads a local number as Ghanaian.
    const gh = await service.create({ name: 'Accra', defaultCountry: 'GH' });
    expect((await service.addNumber(gh.id, { number: '024 123 4567' })).e164).toBe('+233241234567');
  });

  it('races two adds of the same number: exactly one wins', async () => {
    const a = await service.create({ name: 'A' });
    const b = await service.create({ name: 'B' });
    const results = await Promise.allSettled([
      service.addNumber(a.id, { number: '08031234567' }),
      service.addNumber(b.id, { number: '08031234567' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(isSwitchboardError(rejected.reason, 'CONFLICT')).toBe(true);
  });

  it('changes number status with a logged reason, and removes numbers', async () => {
    const ws = await service.create({ name: 'A' });
    const n = await service.addNumber(ws.id, { number: '08031234567' });
    await service.setNumberStatus(ws.id, n.id, 'connected', 'socket open');
    expect((await service.listNumbers(ws.id))[0]?.status).toBe('connected');
    expect(sink.ofType('number.status')[0]?.meta).toMatchObject({
      from: 'unpaired',
      to: 'connected',
      reason: 'socket open',
    });
    await service.removeNumber(ws.id, n.id);
    expect(await service.listNumbers(ws.id)).toEqual([]);
    await expectError(service.removeNumber(ws.id, n.id), 'NOT_FOUND', /not linked/);
  });

  describe('bad input: clear errors, nothing stored', () => {
    const cases: [string, unknown, RegExp][] = [
      ['null name', { name: null }, /Business name must be text/],
      ['missing name', {}, /Business name is required/],
      ['empty name', { name: '   ' }, /cannot be empty/],
      ['oversized name', { name: 'x'.repeat(201) }, /too long/],
      ['lone surrogate', { name: 'Shop \uD800 name' }, /invalid UTF-16/],
      ['NUL character', { name: 'Shop\u0000' }, /NUL/],
      ['bad country', { name: 'Shop', defaultCountry: 'Nigeria' }, /two-letter code/],
      ['unknown country', { name: 'Shop', defaultCountry: 'QQ' }, /Unknown country/],
      ['bad bot mode', { name: 'Shop', botMode: 'magic' }, /botMode/],
      ['number instead of text', { name: 42 }, /must be text/],
    ];
    for (const [label, input, pattern] of cases) {
      it(`refuses ${label}`, async () => {
        await expectError(service.create(input as never), 'VALIDATION', pattern);
        expect(await service.list()).toEqual([]);
      });
    }

    it('stores SQL-looking text verbatim and harmlessly', async () => {
      const name = `Robert'); DROP TABLE workspaces;--`;
      const ws = await service.create({ name });
      expect((await service.get(ws.id)).name).toBe(name);
      expect(await service.list()).toHaveLength(1);
    });

    it('keeps emoji and non-Latin text intact', async () => {
      const name = 'Ìyá Àlàkẹ́ Store 🍲🇳🇬';
      expect((await service.get((await service.create({ name })).id)).name).toBe(name);
    });

    it('refuses invalid phone numbers with the reason, storing nothing', async () => {
      const ws = await service.create({ name: 'A' });
      await expectError(service.addNumber(ws.id, { number: '12345' }), 'INVALID_PHONE_NUMBER', /short/i);
      await expectError(
        service.addNumber(ws.id, { number: '120363025246125486@g.us' }),
        'INVALID_PHONE_NUMBER',
        /group/i,
      );
      await expectError(service.addNumber(ws.id, { number: 'call me' }), 'INVALID_PHONE_NUMBER', /.+/);
      await expectError(service.addNumber(ws.id, { number: 'x'.repeat(100) }), 'VALIDATION', /too long/);
      await expectError(
        service.addNumber(ws.id, { number: null } as never),
        'VALIDATION',
        /required|text|string/i,
      );
      expect(await service.listNumbers(ws.id)).toEqual([]);
    });

    it('refuses unknown fields in an update and changes nothing', async () => {
      const ws = await service.create({ name: 'A' });
      await expectError(
        service.update(ws.id, { workspaceId: 'other' } as never),
        'VALIDATION',
        /Unrecognized key/i,
      );
      expect((await service.get(ws.id)).updatedAt).toBe(ws.updatedAt);
    });

    it('NOT_FOUND for a workspace that does not exist', async () => {
      await expectError(
        service.addNumber('nope' as WorkspaceId, { number: '08031234567' }),
        'NOT_FOUND',
        /No workspace/,
      );
    });
  });
});
