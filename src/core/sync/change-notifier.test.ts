import { describe, expect, it } from 'vitest';
import type { WorkspaceId } from '../../shared/types';
import { createLogger } from '../log/logger';
import { createFakeTimers } from '../testing/fake-timers';
import { createMemorySink } from '../testing/memory-sink';
import { createChangeNotifier } from './change-notifier';

const ws = 'ws-1' as WorkspaceId;

describe('change notifier', () => {
  it('tells an important change at once and progress at most once per interval', async () => {
    const timers = createFakeTimers();
    const notifier = createChangeNotifier(timers, 1_000, createLogger({ sinks: [createMemorySink()] }));
    const heard: WorkspaceId[] = [];
    notifier.onChanged((id) => heard.push(id));
    notifier.notify(ws, false);
    notifier.notify(ws, false);
    expect(heard).toEqual([]);
    await timers.advance(1_000);
    expect(heard).toEqual([ws]);
    notifier.notify(ws, false);
    notifier.notify(ws, true);
    expect(heard).toEqual([ws, ws]);
    // The important change replaced the pending progress note.
    await timers.advance(1_000);
    expect(heard).toEqual([ws, ws]);
  });

  it('keeps telling the others when a listener throws, and is silent once closed', async () => {
    const timers = createFakeTimers();
    const sink = createMemorySink();
    const notifier = createChangeNotifier(timers, 1_000, createLogger({ sinks: [sink] }));
    const heard: WorkspaceId[] = [];
    notifier.onChanged(() => {
      throw new Error('listener bug');
    });
    notifier.onChanged((id) => heard.push(id));
    notifier.notify(ws, true);
    expect(heard).toEqual([ws]);
    notifier.notify(ws, false);
    notifier.close();
    await timers.advance(2_000);
    notifier.notify(ws, true);
    expect(heard).toEqual([ws]);
  });
});
