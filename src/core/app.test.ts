import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSwitchboard, DATABASE_FILE } from './app';
import { openDatabase } from './store/open-database';
import { createEventLogRepository } from './store/repositories/event-log';
import { createMemorySink } from './testing/memory-sink';
import { useTempDirs } from './testing/temp-dirs';

const tempDir = useTempDirs('switchboard-test-');

describe('createSwitchboard', () => {
  it('opens the store, logs into SQLite and the shell sinks, and keeps everything after a restart', async () => {
    const dir = tempDir();
    const extra = createMemorySink();
    const core = await createSwitchboard({ dataDir: join(dir, 'data'), sinks: [extra] });
    const ws = await core.workspaces.create({ name: 'Iya Basira Foods' });
    await core.workspaces.addNumber(ws.id, { number: '0803 123 4567' });
    await core.close();
    await core.close(); // twice is harmless

    expect(extra.ofType('workspace.created')).toHaveLength(1);
    const store = await openDatabase({ path: join(dir, 'data', DATABASE_FILE) });
    const events = createEventLogRepository(store);
    const { events: wsEvents } = await events.query({ workspaceId: ws.id });
    expect(wsEvents.map((e) => e.type).sort()).toEqual(['number.added', 'workspace.created']);
    const { events: machine } = await events.query({ workspaceId: null });
    expect(machine.map((e) => e.type)).toContain('store.opened');
    expect(machine.map((e) => e.type)).not.toContain('workspace.created');
    await store.close();

    const again = await createSwitchboard({ dataDir: join(dir, 'data') });
    expect((await again.workspaces.list()).map((w) => w.name)).toEqual(['Iya Basira Foods']);
    await again.close();
  });

  it('backs up through the core and logs it', async () => {
    const dir = tempDir();
    const core = await createSwitchboard({ dataDir: dir });
    await core.workspaces.create({ name: 'Shop' });
    const result = await core.backup(join(dir, 'copy.db'));
    expect(existsSync(result.path)).toBe(true);
    await core.logger.flush();
    const { events } = await core.events.query({ workspaceId: null, types: ['store.backup'] });
    expect(events).toHaveLength(1);
    await core.close();
  });
});
