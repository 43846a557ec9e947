// The dependency rule of docs/architecture.md, enforced by `npm run depcheck` and `npm test`.
//
//   shared    -> nothing of ours
//   core      -> core, shared               (never electron, never the simulator)
//   main, server, central -> core, shared, themselves (never each other, never renderer)
//   preload   -> shared (+ electron)
//   renderer  -> renderer, shared
//   simulator -> simulator, shared, core
//   nothing imports renderer; no cycles anywhere.
//   shared    -> no package but zod
//   main, server, central -> the core only through its entry points (core/index.ts, a part's index.ts,
//                            and the vocabulary modules ids.ts and errors.ts)
//   production code never imports a test kit (a file in a `testing/` folder)
//
// Test code (*.test.ts(x), test/, bench/) may import anything in src. Type-only imports count too:
// a layer that needs another layer's types is coupled to it.

/** Sources the layer rules do not apply to. */
const TEST_CODE = '(\\.test\\.tsx?$|^test/|^bench/)';

/** Test kits (fakes, fixtures, servers for tests) live in folders named `testing/`, and only there. */
const TEST_KIT = '/testing/';

/** The core's entry points: what the shells may import. */
const CORE_ENTRY = '^src/core/(index|ids|errors)\\.ts$|^src/core/[^.]+/index\\.ts$';

/** Every kind of package import, Node built-ins included. */
const PACKAGES = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown', 'core'];

/** `from` for a layer's non-test files. */
const layer = (name) => ({ path: `^src/${name}/`, pathNot: TEST_CODE });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-imports-only-shared',
      comment:
        'src/shared is the contract every side compiles against: it may import only src/shared and libraries (zod).',
      severity: 'error',
      from: layer('shared'),
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'shared-imports-no-package-but-zod',
      comment:
        'src/shared is compiled into every side, the sandboxed renderer included: no package (and no Node built-in) but zod.',
      severity: 'error',
      from: layer('shared'),
      to: { dependencyTypes: PACKAGES, pathNot: '(^|/)node_modules/zod/' },
    },
    {
      name: 'core-imports-only-core-and-shared',
      comment:
        'src/core is plain Node business logic: it may import only src/core and src/shared (never a shell, the renderer or the simulator).',
      severity: 'error',
      from: layer('core'),
      to: { path: '^src/', pathNot: '^src/(core|shared)/' },
    },
    {
      name: 'core-never-imports-electron',
      comment:
        'src/core runs in plain Node (headless host, central server, tests): electron and the electron-only entry points are off limits. Put Electron code in src/main.',
      severity: 'error',
      from: layer('core'),
      to: {
        path: '^node_modules/(electron|electron-updater)/|^node_modules/electron-log/src/(main|renderer|preload)',
      },
    },
    {
      name: 'shells-import-only-core-shared-and-themselves',
      comment:
        'src/main, src/server and src/central are separate shells around the core: each may import only src/core, src/shared and its own files, never another shell or the renderer.',
      severity: 'error',
      from: { path: '^src/(main|server|central)/', pathNot: `${TEST_CODE}|^src/server/demo\\.ts$` },
      to: { path: '^src/', pathNot: '^src/(core|shared|$1)/' },
    },
    {
      name: 'shells-import-core-through-entry-points',
      comment:
        "The shells use the core through its entry points (src/core/index.ts, a part's index.ts such as handlers/index.ts, ids.ts, errors.ts), never its internals: what the core may change without breaking a shell stays its own. Export the piece from an entry point (add an index.ts to its folder) rather than reaching in.",
      severity: 'error',
      from: { path: '^src/(main|server|central)/', pathNot: `${TEST_CODE}|${TEST_KIT}` },
      to: { path: '^src/core/', pathNot: CORE_ENTRY },
    },
    {
      name: 'server-demo-imports-only-simulator-core-shared',
      comment:
        "src/server/demo.ts is the headless host's demo mode (npm run serve -- --demo): the one shell file that may use src/simulator (the local WhatsApp server and simulated customers), loaded only with --demo. Nothing else in a shell may.",
      severity: 'error',
      from: { path: '^src/server/demo\\.ts$' },
      to: { path: '^src/', pathNot: '^src/(core|shared|server|simulator)/' },
    },
    {
      name: 'preload-imports-only-shared',
      comment:
        'src/preload exposes a typed invoke/on over the contract: it may import only src/shared (types) and its own files.',
      severity: 'error',
      from: layer('preload'),
      to: { path: '^src/', pathNot: '^src/(preload|shared)/' },
    },
    {
      name: 'preload-runtime-only-electron',
      comment:
        'A sandboxed preload can require only `electron` at run time and electron-vite leaves packages external: any other library must be a type-only import.',
      severity: 'error',
      from: layer('preload'),
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown', 'core'],
        dependencyTypesNot: ['type-only'],
        pathNot: '(^|/)node_modules/electron/',
      },
    },
    {
      name: 'renderer-imports-only-renderer-and-shared',
      comment:
        "src/renderer talks to the app only through a client with the contract's shape: it may import only its own files and src/shared.",
      severity: 'error',
      from: layer('renderer'),
      to: { path: '^src/', pathNot: '^src/(renderer|shared)/' },
    },
    {
      name: 'renderer-no-electron',
      comment:
        'The renderer is a sandboxed web page: no Node built-ins and no electron; it reaches the main process only through window.switchboard.',
      severity: 'error',
      from: layer('renderer'),
      to: {
        dependencyTypesNot: ['type-only'],
        path: '^node_modules/electron/',
      },
    },
    {
      name: 'renderer-no-node-builtins',
      comment: 'The renderer is a sandboxed web page: Node built-ins (fs, path, ...) do not exist there.',
      severity: 'error',
      from: layer('renderer'),
      to: { dependencyTypes: ['core'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'nothing-imports-renderer',
      comment: 'Nothing outside src/renderer imports it (the shells serve or load its build output instead).',
      severity: 'error',
      from: { pathNot: `^src/renderer/|${TEST_CODE}` },
      to: { path: '^src/renderer/' },
    },
    {
      name: 'simulator-imports-no-shell',
      comment: 'src/simulator may use src/shared and src/core, but never a shell or the renderer.',
      severity: 'error',
      from: layer('simulator'),
      to: { path: '^src/(main|server|central|renderer)/' },
    },
    {
      name: 'src-never-imports-tests',
      comment: 'Production code must not import test helpers, end-to-end tests or benchmarks.',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST_CODE },
      to: { path: '(^test/|^bench/|\\.test\\.tsx?$)' },
    },
    {
      name: 'production-never-imports-test-kits',
      comment:
        'Test kits (fakes, fixtures, test servers) live in `testing/` folders and are for tests and benchmarks only: production code that imports one ships test code and may run it.',
      severity: 'error',
      from: { path: '^src/', pathNot: `${TEST_CODE}|${TEST_KIT}` },
      to: { path: `^src/.*${TEST_KIT}` },
    },
    {
      name: 'packaged-code-no-dev-dependencies',
      comment:
        'The installer ships only "dependencies": code in src/core, src/shared and src/main must not need a devDependency at run time (electron itself excepted). Move the package to dependencies.',
      severity: 'error',
      from: { path: '^src/(core|shared|main)/', pathNot: TEST_CODE },
      to: {
        dependencyTypes: ['npm-dev'],
        dependencyTypesNot: ['type-only'],
        pathNot: '(^|/)node_modules/electron/',
      },
    },
    {
      name: 'no-circular',
      comment:
        'Import cycles make load order fragile and modules impossible to reason about alone. Break the cycle by moving the shared piece into its own module.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'This import resolves to nothing: a typo, a missing file, or a package that is not installed (add it to package.json).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '(^|/)(out|dist|coverage|\\.test-output)/' },
    // Type-only imports are dependencies too (they are erased at run time, but they couple modules).
    tsPreCompilationDeps: true,
    // TypeScript's own resolution (bundler mode: extensionless relative imports resolve to .ts/.tsx).
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
