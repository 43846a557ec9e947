// Small helpers shared by the project scripts (no dependencies beyond Node).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Absolute path of an installed package's bin script, so it can be run with this very `node`
 * (no shell, no PATH lookup, no .cmd shims on Windows).
 */
export function binPath(pkg, name = pkg) {
  const pkgDir = join(ROOT, 'node_modules', pkg);
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const rel = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[name];
  if (!rel) throw new Error(`${pkg} has no bin named ${name}`);
  return join(pkgDir, rel);
}

/** Runs `node <bin> ...args` with inherited stdio; resolves with the exit code (1 if killed by a signal). */
export function runNode(script, args, options = {}) {
  return run(process.execPath, [script, ...args], options);
}

/** Runs a command with inherited stdio; resolves with the exit code (1 if killed by a signal or not startable). */
export function run(command, args, options = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
    child.on('error', (error) => {
      console.error(`Could not start ${command}: ${error.message}`);
      resolvePromise(1);
    });
    child.on('close', (code, signal) => {
      if (signal) console.error(`${command} was killed by ${signal}`);
      resolvePromise(code ?? 1);
    });
  });
}

/** The npm command line: the npm that started us when run through `npm run`, else `npm` from PATH. */
export function npmCommand(args) {
  const npmCli = process.env.npm_execpath;
  if (npmCli && /\.(c|m)?js$/.test(npmCli)) return [process.execPath, [npmCli, ...args]];
  return [process.platform === 'win32' ? 'npm.cmd' : 'npm', args];
}
