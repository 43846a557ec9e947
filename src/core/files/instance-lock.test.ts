import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/temp-dirs';
import { acquireInstanceLock, LOCK_FILE } from './instance-lock';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});
const tempDir = useTempDirs('switchboard-test-');

describe('instance lock', () => {
  it('refuses a second owner while the first runs, saying where it runs, and frees the folder on release', async () => {
    const dir = tempDir();
    // The owner is another live process: a child that sleeps.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    cleanups.push(() => child.kill('SIGKILL'));
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: child.pid, host: hostname(), startedAt: 0, where: 'http://127.0.0.1:4870/' }),
    );
    expect(() => acquireInstanceLock(dir, 'the headless host')).toThrow(
      new RegExp(`already running on this data folder .*http://127\\.0\\.0\\.1:4870/, process ${child.pid}`),
    );
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    // The owner is gone (a power cut): its lock is taken over.
    const lock = acquireInstanceLock(dir, 'the headless host');
    lock.update('http://127.0.0.1:5000/');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
      where: 'http://127.0.0.1:5000/',
    });
    lock.release();
    acquireInstanceLock(dir, 'again').release();
  });
});
