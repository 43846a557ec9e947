import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../src/core/testing/temp-files';
import { findChromium } from '../app/helpers';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

describe('findChromium (the browser tests must not skip on a machine that has a browser)', () => {
  it('takes CHROMIUM_PATH first, and finds Chrome or Edge where Windows installs them', () => {
    const { dir, cleanup } = makeTempDir('switchboard-chromium-');
    cleanups.push(cleanup);
    const own = join(dir, 'my-chromium');
    writeFileSync(own, '');
    expect(findChromium({ CHROMIUM_PATH: own })).toBe(own);

    const edge = join(dir, 'Microsoft', 'Edge', 'Application');
    mkdirSync(edge, { recursive: true });
    writeFileSync(join(edge, 'msedge.exe'), '');
    const found = findChromium({ CHROMIUM_PATH: join(dir, 'missing'), 'PROGRAMFILES(X86)': dir });
    // This machine's own Chromium, where there is one, comes before Windows' folders.
    expect([join(edge, 'msedge.exe'), '/usr/bin/chromium']).toContain(found);
  });
});
