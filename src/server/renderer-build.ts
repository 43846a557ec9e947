import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is src/server/renderer-build.ts). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const rendererBuildDir = (root = PROJECT_ROOT): string => join(root, 'out', 'renderer');

/** Sources the renderer bundle is made from. */
const SOURCE_DIRS = ['src/renderer', 'src/shared'];

/** Missing, or older than a source file of the renderer: `electron-vite build` should run. */
export function isRendererBuildStale(root = PROJECT_ROOT): boolean {
  const index = join(rendererBuildDir(root), 'index.html');
  if (!existsSync(index)) return true;
  const builtAt = statSync(index).mtimeMs;
  return SOURCE_DIRS.some((dir) => newestMtime(join(root, dir)) > builtAt);
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Runs `electron-vite build` when the renderer build is missing or stale; returns the build folder. */
export async function ensureRendererBuild(
  root = PROJECT_ROOT,
  log: (line: string) => void = () => undefined,
): Promise<string> {
  if (!isRendererBuildStale(root)) return rendererBuildDir(root);
  log('Building the UI (electron-vite build)...');
  const manifest = JSON.parse(
    readFileSync(join(root, 'node_modules', 'electron-vite', 'package.json'), 'utf8'),
  ) as {
    bin: string | Record<string, string>;
  };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin['electron-vite'];
  if (bin === undefined) throw new Error('electron-vite has no bin script');
  const code = await new Promise<number>((resolvePromise) => {
    const child = spawn(process.execPath, [join(root, 'node_modules', 'electron-vite', bin), 'build'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', () => resolvePromise(1));
    child.on('close', (exit) => {
      if (exit !== 0) log(output);
      resolvePromise(exit ?? 1);
    });
  });
  if (code !== 0) throw new Error('electron-vite build failed (output above)');
  return rendererBuildDir(root);
}
