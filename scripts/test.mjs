// `npm test` (and CI): every check the project has, in one run.
//
//   node scripts/test.mjs            type check, dependency rule, lint, format, build, vitest
//   node scripts/test.mjs --quick    skips build and format; other arguments go to vitest
//                                    (e.g. `node scripts/test.mjs --quick src/core/store -t backup`)
//
// Each static step counts as one test; vitest's tests count from its JSON report. Every step runs even
// after a failure so one run shows everything. The last line is always `N passed, N failed` (CI reads
// it) and the exit code is non-zero when anything failed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { binPath, npmCommand, ROOT, run, runNode } from './lib.mjs';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
/**
 * A skipped test is a check that did not run (no Chromium, a file mode the machine cannot make): it fails
 * the run unless allowed, so a green line always means every test ran.
 */
const allowSkips = argv.includes('--allow-skips') || process.env.SWITCHBOARD_ALLOW_SKIPS === '1';
const vitestArgs = argv.filter((arg) => arg !== '--quick' && arg !== '--allow-skips');

const VITEST_JSON = join(ROOT, '.test-output', 'vitest.json');
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'switchboard');

/** @type {{ name: string, status: 'passed' | 'failed' | 'skipped', ms: number, note?: string }[]} */
const results = [];
let passed = 0;
let failed = 0;
let skippedTests = 0;

// Ctrl-C reaches the running children too (same process group); stop after them instead of going on.
let interrupted = false;
process.on('SIGINT', () => {
  interrupted = true;
});

const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;

function header(title) {
  console.log(`\n━━━ ${title} ${'━'.repeat(Math.max(3, 72 - title.length))}`);
}

// Children write into a buffer (printed after their step's header), not to our terminal: keep their
// colours when we are on one.
const COLOR_ENV = process.stdout.isTTY ? { FORCE_COLOR: '1' } : {};

/** Runs `node <script> ...args`, appending its stdout and stderr to `out`; resolves with the exit code. */
function capture(out, script, args) {
  out.push(`$ ${[script.replace(`${ROOT}/`, ''), ...args].join(' ')}\n`);
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...COLOR_ENV },
    });
    child.stdout.on('data', (chunk) => out.push(chunk.toString()));
    child.stderr.on('data', (chunk) => out.push(chunk.toString()));
    child.on('error', (error) => {
      out.push(`Could not start ${script}: ${error.message}\n`);
      resolvePromise(1);
    });
    child.on('close', (code, signal) => {
      if (signal) out.push(`killed by ${signal}\n`);
      resolvePromise(code ?? 1);
    });
  });
}

// --- static steps ------------------------------------------------------------------------------------
// Each takes an output buffer and resolves to true when it passed.

async function typeCheck(out) {
  const tsc = binPath('typescript', 'tsc');
  mkdirSync(CACHE_DIR, { recursive: true });
  let ok = true;
  for (const project of ['tsconfig.node.json', 'tsconfig.web.json']) {
    // Incremental state lives in node_modules/.cache: a clean clone (CI) checks everything from scratch,
    // a local re-run only re-checks what changed. tsc's incremental mode is exact, not a heuristic.
    const buildInfo = join(CACHE_DIR, `${project.replace(/\.json$/, '')}.tsbuildinfo`);
    const args = ['-p', project, '--noEmit', '--incremental', '--tsBuildInfoFile', buildInfo];
    if (process.stdout.isTTY) args.push('--pretty');
    if ((await capture(out, tsc, args)) !== 0) ok = false;
  }
  return ok;
}

async function dependencyRule(out) {
  return (await capture(out, join(ROOT, 'scripts', 'depcheck.mjs'), [])) === 0;
}

async function lint(out) {
  return (await capture(out, binPath('eslint'), ['--max-warnings', '0', '.'])) === 0;
}

async function format(out) {
  const code = await capture(out, binPath('prettier'), ['--check', '.']);
  if (code !== 0) out.push('Fix with: npm run format\n');
  return code === 0;
}

async function build(out) {
  return (await capture(out, binPath('electron-vite'), ['build'])) === 0;
}

/**
 * Runs the static steps in two lanes (lint, the slowest, beside the others: about a third off the wall
 * time on two cores) and prints each step's output under its header, in step order, as soon as it and
 * the steps before it are done. Each step counts as one test.
 */
async function runStaticSteps(steps) {
  const settled = steps.map(() => {
    let settle;
    const promise = new Promise((r) => (settle = r));
    return { promise, settle };
  });

  const runLane = async (lane) => {
    for (const [index, step] of steps.entries()) {
      if (step.lane !== lane) continue;
      const out = [];
      const start = performance.now();
      let ok = false;
      if (!interrupted) {
        try {
          ok = await step.fn(out);
        } catch (error) {
          out.push(`${error?.stack ?? error}\n`);
        }
      }
      settled[index].settle({ ok, out, ms: performance.now() - start });
    }
  };
  const lanes = Promise.all([...new Set(steps.map((step) => step.lane))].map(runLane));

  for (const [index, step] of steps.entries()) {
    const { ok, out, ms } = await settled[index].promise;
    if (interrupted) break;
    header(step.name);
    process.stdout.write(out.join(''));
    results.push({ name: step.name, status: ok ? 'passed' : 'failed', ms });
    if (ok) passed += 1;
    else failed += 1;
    console.log(`${ok ? '✔' : '✘'} ${step.name}: ${ok ? 'passed' : 'FAILED'} in ${seconds(ms)}`);
  }
  await lanes;
}

function skipped(name, why) {
  results.push({ name, status: 'skipped', ms: 0, note: why });
}

// --- better-sqlite3 for this Node ------------------------------------------------------------------

function sqliteLoadError() {
  // require() alone does not load the native addon; opening a database does.
  const probe = "const Database = require('better-sqlite3'); new Database(':memory:').close();";
  const result = spawnSync(process.execPath, ['-e', probe], { cwd: ROOT, encoding: 'utf8' });
  return result.status === 0 ? undefined : `${result.stderr}${result.error?.message ?? ''}`.trim();
}

/**
 * `npm start` rebuilds better-sqlite3 for Electron's ABI; plain Node then cannot load it. Rebuild once
 * for this Node when that is the problem. Returns true when it loads.
 */
async function ensureSqliteForNode() {
  const error = sqliteLoadError();
  if (error === undefined) return true;
  if (!/NODE_MODULE_VERSION|compiled against a different Node\.js version/.test(error)) {
    console.error(`better-sqlite3 does not load in Node ${process.version}:\n${error}`);
    return false;
  }
  console.log(
    `better-sqlite3 is built for another ABI (probably Electron's, after \`npm start\`): ` +
      `rebuilding it for Node ${process.version}...`,
  );
  const [command, args] = npmCommand(['rebuild', 'better-sqlite3']);
  await run(command, args, { shell: process.platform === 'win32' && !command.endsWith('.exe') });
  const after = sqliteLoadError();
  if (after !== undefined) {
    console.error(`better-sqlite3 still does not load after \`npm rebuild better-sqlite3\`:\n${after}`);
    return false;
  }
  console.log('better-sqlite3 rebuilt for this Node.');
  return true;
}

// --- vitest ------------------------------------------------------------------------------------------

/** Counts from vitest's JSON report: { passed, failed, skipped, note }. */
function vitestCounts(exitCode) {
  if (!existsSync(VITEST_JSON)) {
    return {
      passed: 0,
      failed: 1,
      skipped: 0,
      note: `no JSON report (vitest exited with ${exitCode} before writing it)`,
    };
  }
  let report;
  try {
    report = JSON.parse(readFileSync(VITEST_JSON, 'utf8'));
  } catch (error) {
    return { passed: 0, failed: 1, skipped: 0, note: `unreadable JSON report: ${error.message}` };
  }
  const passedTests = Number(report.numPassedTests) || 0;
  let failedTests = Number(report.numFailedTests) || 0;
  const skippedCount = (Number(report.numPendingTests) || 0) + (Number(report.numTodoTests) || 0);
  const notes = [];
  if (skippedCount > 0 && !allowSkips) {
    failedTests += 1;
    notes.push(
      `${skippedCount} test(s) skipped: a check that did not run fails the run (--allow-skips allows it)`,
    );
  }
  // A file that fails to import (syntax error, throwing top level) has no failed *tests*: count it.
  const brokenFiles = (report.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed'),
  );
  if (brokenFiles.length > 0) {
    failedTests += brokenFiles.length;
    notes.push(`${brokenFiles.length} test file(s) failed outside any test`);
  }
  // Unhandled errors and the like fail the run without failing a test: never report that as green.
  if (exitCode !== 0 && failedTests === 0) {
    failedTests = 1;
    notes.push(`vitest exited with ${exitCode} although no test failed (unhandled error? no test files?)`);
  }
  return {
    passed: passedTests,
    failed: failedTests,
    skipped: skippedCount,
    note: notes.join('; ') || undefined,
  };
}

async function vitest() {
  if (interrupted) return;
  header('vitest');
  const start = performance.now();
  rmSync(VITEST_JSON, { force: true });
  const code = await runNode(binPath('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${VITEST_JSON}`,
    ...vitestArgs,
  ]);
  const ms = performance.now() - start;
  const counts = vitestCounts(code);
  passed += counts.passed;
  failed += counts.failed;
  skippedTests += counts.skipped;
  const status = counts.failed === 0 ? 'passed' : 'failed';
  const note = `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped${counts.note ? ` (${counts.note})` : ''}`;
  results.push({ name: 'vitest', status, ms, note });
  console.log(`${status === 'passed' ? '✔' : '✘'} vitest: ${note} in ${seconds(ms)}`);
}

// --- run ---------------------------------------------------------------------------------------------

const started = performance.now();

await runStaticSteps(
  [
    { name: 'type check', lane: 'a', fn: typeCheck },
    { name: 'dependency rule', lane: 'a', fn: dependencyRule },
    { name: 'lint', lane: 'b', fn: lint },
    quick ? undefined : { name: 'format', lane: 'a', fn: format },
    quick ? undefined : { name: 'build', lane: 'a', fn: build },
  ].filter((step) => step !== undefined),
);
if (quick) {
  skipped('format', '--quick');
  skipped('build', '--quick');
}

if (!interrupted) {
  header('better-sqlite3 for Node');
  const start = performance.now();
  const ok = await ensureSqliteForNode();
  if (ok) {
    console.log(`✔ better-sqlite3 loads in Node ${process.version}`);
  } else {
    // Not one of the counted steps when it works; a broken native module must not pass silently.
    failed += 1;
    results.push({ name: 'better-sqlite3 for Node', status: 'failed', ms: performance.now() - start });
  }
}

await vitest();

header('summary');
for (const result of results) {
  const mark = { passed: '✔', failed: '✘', skipped: '-' }[result.status];
  const time = result.status === 'skipped' ? '' : seconds(result.ms);
  console.log(
    `${mark} ${result.name.padEnd(26)} ${result.status.padEnd(8)} ${time.padStart(7)}  ${result.note ?? ''}`.trimEnd(),
  );
}
console.log(`total ${seconds(performance.now() - started)}${interrupted ? ' (interrupted)' : ''}`);
console.log(`${skippedTests} test(s) skipped${allowSkips ? ' (allowed)' : ''}`);
// The closing line CI reads: exactly `N passed, N failed` (the skipped count is the line above).
console.log(`${passed} passed, ${failed} failed`);

process.exitCode = interrupted ? 130 : failed > 0 ? 1 : 0;
