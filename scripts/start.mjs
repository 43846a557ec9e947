// `npm start`: build, rebuild native modules for Electron, and run the desktop app.
//
// `electron-builder install-app-deps` rebuilds better-sqlite3 for Electron's ABI, after which plain
// Node can no longer load it; `npm test` notices (NODE_MODULE_VERSION mismatch) and runs
// `npm rebuild better-sqlite3` to build it for Node again. Expect one rebuild each way when switching.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { binPath, ROOT, runNode } from './lib.mjs';

const require = createRequire(import.meta.url);

/** The Electron binary, or undefined when the package was installed without it. */
function electronBinary() {
  try {
    // Outside Electron, require('electron') returns the binary's path (and throws if it was not downloaded).
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

// Checked first, so a machine without Electron is not left with better-sqlite3 built for it.
const electron = electronBinary();
if (electron === undefined) {
  console.error(
    [
      'npm start: the Electron binary is not installed (node_modules/electron has no dist/).',
      'That happens when dependencies were installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, as on the build',
      'machines. Make sure that variable is not set, then either',
      '  - download Electron on its own:   node node_modules/electron/install.js',
      '  - or reinstall dependencies:      npm install   (or rm -rf node_modules && npm ci)',
      'Without Electron you can still build (npm run build) and test (npm test).',
    ].join('\n'),
  );
  process.exit(1);
}

const step = async (title, script, args) => {
  console.log(`\n> ${title}`);
  const code = await runNode(script, args);
  if (code !== 0) {
    console.error(`npm start: ${title} failed (exit code ${code})`);
    process.exit(code);
  }
};

await step('electron-vite build', binPath('electron-vite'), ['build']);
await step(
  'electron-builder install-app-deps (native modules for Electron)',
  binPath('electron-builder', 'install-app-deps'),
  [],
);

console.log('\n> electron .');
const env = { ...process.env };
// Set, it would make the binary behave as plain Node instead of starting the app.
delete env.ELECTRON_RUN_AS_NODE;
const app = spawn(electron, ['.'], { cwd: ROOT, stdio: 'inherit', env });

// Pass Ctrl-C and termination on to the app and exit with its code once it has shut down.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (app.exitCode === null && app.signalCode === null) app.kill(signal);
  });
}
app.on('error', (error) => {
  console.error(`npm start: could not launch Electron (${electron}): ${error.message}`);
  process.exit(1);
});
app.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
