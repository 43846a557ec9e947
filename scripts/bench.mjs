// `npm run bench [-- filter...]`: runs bench/*.bench.ts one after another with `node --import tsx`.
//
// stdout carries only figures: each line a bench prints to stdout that is a JSON object passes through,
// so `npm run --silent bench > figures.jsonl` collects them. Everything else (the benches' stderr, their
// non-JSON stdout lines, this runner's own messages) goes to stderr. Filters keep the files whose name
// contains any of them (`npm run bench -- eventlog`). Exits non-zero if any bench crashed.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './lib.mjs';

const BENCH_DIR = join(ROOT, 'bench');
const filters = process.argv.slice(2).filter((arg) => arg !== '--');
const log = (message) => process.stderr.write(`${message}\n`);

const all = existsSync(BENCH_DIR)
  ? readdirSync(BENCH_DIR)
      .filter((name) => name.endsWith('.bench.ts'))
      .sort()
  : [];
if (all.length === 0) {
  log('bench: no bench/*.bench.ts files yet, nothing to run');
  process.exit(0);
}
const files = filters.length === 0 ? all : all.filter((name) => filters.some((f) => name.includes(f)));
if (files.length === 0) {
  log(
    `bench: no bench file matches ${filters.map((f) => `"${f}"`).join(' or ')}; there are: ${all.join(', ')}`,
  );
  process.exit(1);
}

/** A JSON object on one line, not an array, number or string. */
function isJsonObjectLine(line) {
  const text = line.trim();
  if (!text.startsWith('{')) return false;
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Runs one bench file; resolves with a failure description, or undefined when it exited cleanly. */
function runBench(file) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('bench', file)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (isJsonObjectLine(line)) process.stdout.write(`${line.trim()}\n`);
      else process.stderr.write(`${line}\n`);
    });
    let failure;
    child.on('error', (error) => {
      failure = `could not start: ${error.message}`;
    });
    child.on('close', (code, signal) => {
      // 'close' fires after stdout has ended, so every line above has been handled.
      if (failure === undefined && signal) failure = `killed by ${signal}`;
      else if (failure === undefined && code !== 0) failure = `exited with code ${code}`;
      resolvePromise(failure);
    });
  });
}

const failures = [];
for (const file of files) {
  log(`bench: ${file}`);
  const started = performance.now();
  const failure = await runBench(file);
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  if (failure === undefined) {
    log(`bench: ${file} done in ${secs}s`);
  } else {
    log(`bench: ${file} FAILED (${failure}) after ${secs}s`);
    failures.push(file);
  }
}

if (failures.length > 0) {
  log(`bench: ${failures.length} of ${files.length} failed: ${failures.join(', ')}`);
  process.exitCode = 1;
}
