// Checks .dependency-cruiser.cjs itself: every rule fires on a violating import in a throwaway tree, and
// allowed imports stay clean. A typo in a rule's regex would otherwise make it pass everything silently.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

const fakePackage = (name: string) => ({
  [`node_modules/${name}/package.json`]: JSON.stringify({ name, version: '1.0.0', main: 'index.js' }),
  [`node_modules/${name}/index.js`]: 'module.exports = {};\n',
});

const ok = 'export const ok = 1;\n';

/** The tree: imports that are allowed, then one file per violation. */
const FILES: Record<string, string> = {
  'package.json': JSON.stringify({
    name: 'fixture',
    dependencies: { zod: '1.0.0' },
    devDependencies: { electron: '1.0.0', devlib: '1.0.0' },
  }),
  'tsconfig.node.json': JSON.stringify({
    compilerOptions: { module: 'ESNext', moduleResolution: 'bundler', jsx: 'react-jsx', strict: true },
  }),
  ...fakePackage('zod'),
  ...fakePackage('electron'),
  ...fakePackage('devlib'),

  // Allowed.
  'src/shared/a.ts': "import './b';\nimport 'zod';\nexport const a = 1;\n",
  'src/shared/b.ts': ok,
  'src/core/c.ts':
    "import { a } from '../shared/a';\nimport 'zod';\nimport 'node:fs';\nexport const c = a;\n",
  'src/main/m.ts':
    "import '../core/index';\nimport '../shared/a';\nimport './m2';\nimport 'electron';\nexport const m = 1;\n",
  'src/main/m2.ts': ok,
  'src/server/srv.ts': "import '../core/index';\nimport 'node:http';\nexport const srv = 1;\n",
  'src/central/cen.ts': "import '../core/ids';\nexport const cen = 1;\n",
  'src/preload/p.ts':
    "import type { a } from '../shared/a';\nimport type {} from 'zod';\nimport 'electron';\nexport type P = typeof a;\n",
  'src/renderer/r.tsx': "import '../shared/a';\nimport './r2';\nexport const r = 1;\n",
  'src/renderer/r2.tsx': ok,
  'src/simulator/s.ts': "import '../core/c';\nimport '../shared/a';\nexport const s = 1;\n",
  'src/core/c.test.ts': "import '../main/m';\nimport '../renderer/r';\nimport '../../test/helper';\n",
  'test/helper.ts': ok,
  'test/e2e.test.ts': "import '../src/renderer/r';\nimport '../src/main/m';\nimport './helper';\n",
  'bench/x.bench.ts': "import '../src/server/srv';\nimport '../src/central/cen';\n",

  // Violations.
  'src/shared/bad-shared.ts': "import '../core/c';\n",
  'src/core/bad-core.ts': "import '../main/m';\n",
  'src/core/bad-core-sim.ts': "import '../simulator/s';\n",
  'src/core/bad-core-electron.ts': "import 'electron';\n",
  'src/core/bad-core-electron-type.ts': "import type {} from 'electron';\n",
  'src/core/bad-core-test-import.ts': "import '../../test/helper';\n",
  'src/core/bad-unresolvable.ts': "import './nope';\n",
  'src/core/cycle-a.ts': "import { b } from './cycle-b';\nexport const a = () => b;\n",
  'src/core/cycle-b.ts': "import { a } from './cycle-a';\nexport const b = () => a;\n",
  'src/main/bad-main.ts': "import '../server/srv';\n",
  'src/main/bad-devdep.ts': "import 'devlib';\n",
  'src/server/bad-server.ts': "import '../central/cen';\n",
  'src/central/bad-central.ts': "import '../main/m2';\n",
  'src/preload/bad-preload.ts': "import '../core/c';\n",
  'src/preload/bad-preload-npm.ts': "import 'zod';\n",
  'src/renderer/bad-renderer.ts': "import '../core/c';\n",
  'src/renderer/bad-renderer-node.ts': "import 'node:fs';\n",
  'src/renderer/bad-renderer-electron.ts': "import 'electron';\n",
  'src/simulator/bad-sim.ts': "import '../server/srv';\n",
  'src/server/bad-imports-renderer.ts': "import '../renderer/r';\n",

  // Entry points and test kits: allowed.
  'src/core/index.ts': "export * from './c';\n",
  'src/core/ids.ts': ok,
  'src/core/part/index.ts': "export * from './inner';\n",
  'src/core/part/inner.ts': ok,
  'src/core/testing/kit.ts': "import '../part/inner';\nexport const kit = 1;\n",
  'src/core/part/inner.test.ts': "import '../testing/kit';\n",
  'src/central/testing/central-kit.ts': "import '../../core/testing/kit';\nexport const ck = 1;\n",
  'src/server/entry-use.ts': "import '../core/index';\nimport '../core/part/index';\nimport '../core/ids';\n",
  'bench/kit.bench.ts': "import '../src/core/testing/kit';\n",
  // Entry points and test kits: violations.
  'src/shared/bad-shared-package.ts': "import 'devlib';\n",
  'src/shared/bad-shared-builtin.ts': "import 'node:fs';\n",
  'src/main/bad-core-internal.ts': "import '../core/part/inner';\n",
  'src/central/bad-core-internal.ts': "import type { c } from '../core/c';\nexport type C = typeof c;\n",
  'src/core/bad-kit-import.ts': "import './testing/kit';\n",
  'src/server/bad-kit-import.ts': "import '../core/testing/kit';\n",
};

const EXPECTED = [
  'src/shared/bad-shared.ts shared-imports-only-shared',
  'src/core/bad-core.ts core-imports-only-core-and-shared',
  'src/core/bad-core-sim.ts core-imports-only-core-and-shared',
  'src/core/bad-core-electron.ts core-never-imports-electron',
  'src/core/bad-core-electron-type.ts core-never-imports-electron',
  'src/core/bad-core-test-import.ts src-never-imports-tests',
  'src/core/bad-unresolvable.ts not-to-unresolvable',
  // A cycle is reported once, at its first module.
  'src/core/cycle-a.ts no-circular',
  'src/main/bad-main.ts shells-import-only-core-shared-and-themselves',
  'src/main/bad-devdep.ts packaged-code-no-dev-dependencies',
  'src/server/bad-server.ts shells-import-only-core-shared-and-themselves',
  'src/central/bad-central.ts shells-import-only-core-shared-and-themselves',
  'src/preload/bad-preload.ts preload-imports-only-shared',
  'src/preload/bad-preload-npm.ts preload-runtime-only-electron',
  'src/renderer/bad-renderer.ts renderer-imports-only-renderer-and-shared',
  'src/renderer/bad-renderer-node.ts renderer-no-node-builtins',
  'src/renderer/bad-renderer-electron.ts renderer-no-electron',
  'src/simulator/bad-sim.ts simulator-imports-no-shell',
  'src/server/bad-imports-renderer.ts shells-import-only-core-shared-and-themselves',
  'src/server/bad-imports-renderer.ts nothing-imports-renderer',
  'src/shared/bad-shared-package.ts shared-imports-no-package-but-zod',
  'src/shared/bad-shared-package.ts packaged-code-no-dev-dependencies',
  'src/shared/bad-shared-builtin.ts shared-imports-no-package-but-zod',
  'src/main/bad-core-internal.ts shells-import-core-through-entry-points',
  'src/central/bad-core-internal.ts shells-import-core-through-entry-points',
  'src/core/bad-kit-import.ts production-never-imports-test-kits',
  'src/server/bad-kit-import.ts production-never-imports-test-kits',
  'src/server/bad-kit-import.ts shells-import-core-through-entry-points',
].sort();

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

let fixture: string;

beforeAll(() => {
  fixture = mkdtempSync(join(tmpdir(), 'depcruise-rules-'));
  for (const [path, content] of Object.entries(FILES)) {
    mkdirSync(dirname(join(fixture, path)), { recursive: true });
    writeFileSync(join(fixture, path), content);
  }
});

afterAll(() => {
  rmSync(fixture, { recursive: true, force: true });
});

describe('.dependency-cruiser.cjs', () => {
  it('flags exactly the violating imports, each with the rule that explains it', () => {
    const result = spawnSync(
      process.execPath,
      [
        DEPCRUISE,
        'src',
        'test',
        'bench',
        '--config',
        join(ROOT, '.dependency-cruiser.cjs'),
        '--output-type',
        'json',
      ],
      { cwd: fixture, encoding: 'utf8' },
    );
    // (The json reporter exits 0 either way; the err reporters `npm run depcheck` uses exit non-zero.)
    expect(result.stderr).not.toMatch(/ERROR/);
    const report = JSON.parse(result.stdout) as { summary: { violations: Violation[] } };
    const found = [...new Set(report.summary.violations.map((v) => `${v.from} ${v.rule.name}`))].sort();

    expect(found).toEqual(EXPECTED);
  });
});
