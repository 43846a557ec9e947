import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // better-sqlite3 is native: forks isolate it better than worker threads.
    pool: 'forks',
    // libsignal (inside Baileys, and in the local WhatsApp server's contacts) prints whole session
    // objects with console.info on every session change: noise that buries real test output.
    onConsoleLog: (log) =>
      !/^(Closing session|Opening session|Removing old closed session|Migrating session|Closing open session|Decrypted message with closed session|Session already closed|Session already open)|SessionEntry|\bpendingPreKey\b|_chains:/.test(
        log,
      ),
  },
});
