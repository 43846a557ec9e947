import { afterEach } from 'vitest';
import { makeTempDir } from './temp-files';

/**
 * Test support, called at a test file's top level: returns a function that makes a fresh temp folder
 * (named with `prefix`) on each call; every folder made during a test is removed after it.
 */
export function useTempDirs(prefix: string): () => string {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    while (cleanups.length > 0) cleanups.pop()!();
  });
  return () => {
    const { dir, cleanup } = makeTempDir(prefix);
    cleanups.push(cleanup);
    return dir;
  };
}
