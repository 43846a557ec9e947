import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SwitchboardError } from '../errors';

export const LOCK_FILE = 'switchboard.lock';

interface LockOwner {
  pid: number;
  host: string;
  startedAt: number;
  /** Where the owner can be reached: the headless host's address, or 'the desktop app'. */
  where: string;
}

export interface InstanceLock {
  /** Tells later starts where this one runs (the host knows its address only once it listens). */
  update(where: string): void;
  release(): void;
}

/**
 * One process per data folder: two would hold the same database and the same WhatsApp sessions, and
 * WhatsApp drops both (440 conflicts). A lock file names the owner; a file left by a process that no
 * longer runs (a power cut) is taken over. Refused with where the other one runs.
 */
export function acquireInstanceLock(dataDir: string, where: string, now = Date.now()): InstanceLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: now, where };
  const write = (flag: 'wx' | 'w') => {
    const fd = openSync(path, flag, 0o600);
    try {
      writeSync(fd, JSON.stringify(owner));
    } finally {
      closeSync(fd);
    }
  };
  try {
    write('wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const other = readOwner(path);
    if (other !== undefined && other.pid !== process.pid && isRunning(other)) {
      throw new SwitchboardError(
        'CONFLICT',
        `Switchboard is already running on this data folder (${dataDir}): ${other.where}, process ${other.pid}` +
          `${other.host === owner.host ? '' : ` on ${other.host}`}, started ${new Date(other.startedAt).toLocaleString()}. ` +
          'Use that one, or stop it first.',
        { ...other },
      );
    }
    write('w'); // left by a process that is gone
  }
  let released = false;
  return {
    update(next) {
      owner.where = next;
      if (!released) write('w');
    },
    release() {
      if (released) return;
      released = true;
      if (readOwner(path)?.pid === process.pid) rmSync(path, { force: true });
    },
  };
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return typeof value.pid === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(owner: LockOwner): boolean {
  // A lock from another computer (a shared folder) cannot be checked: it counts as running.
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
