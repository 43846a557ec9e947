import type { BackupProgress } from '../../shared/backup-contract';
import { SwitchboardError } from '../errors';

export interface BackupListener {
  progressed?(progress: BackupProgress): void;
  changed?(): void;
}

export type BackupReport = (phase: BackupProgress['phase'], fraction: number) => void;

/** What runs (one backup, restore or move at a time), how far it is, and who listens. */
export function createBackupActivity() {
  let running: string | null = null;
  let progress: BackupProgress | null = null;
  const listeners = new Set<BackupListener>();
  const changed = () => {
    for (const listener of listeners) listener.changed?.();
  };

  return {
    changed,
    /** The work running now and its progress; null when idle. */
    running(): BackupProgress | null {
      return running === null ? null : (progress ?? { phase: 'copying', fraction: 0, reason: running });
    },
    subscribe(listener: BackupListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Runs `fn` unless another piece of work runs (CONFLICT); listeners hear when it ends. */
    async exclusive<T>(what: string, fn: () => Promise<T>): Promise<T> {
      if (running !== null) {
        throw new SwitchboardError('CONFLICT', `A ${running} is running; wait for it to finish.`);
      }
      running = what;
      try {
        return await fn();
      } finally {
        running = null;
        progress = null;
        changed();
      }
    },
    /** Reports progress to `onProgress` every time, and to listeners a percent at a time. */
    reporter(reason: string, onProgress?: (p: BackupProgress) => void): BackupReport {
      let lastSent = -1;
      return (phase, fraction) => {
        const now: BackupProgress = { phase, fraction: Math.min(1, Math.max(0, fraction)), reason };
        progress = now;
        onProgress?.(now);
        // A percent at a time: a 1 GB backup must not flood the UI with thousands of events.
        const percent = Math.floor(now.fraction * 100);
        if (percent === lastSent) return;
        lastSent = percent;
        for (const listener of listeners) listener.progressed?.(now);
      };
    },
  };
}
