import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../log/logger';
import { createMemorySink } from '../../testing/memory-sink';
import { makeTempDir } from '../../testing/temp-files';
import { routeLibraryConsole } from './library-console';

const temp = makeTempDir('switchboard-library-console-');

/** A module that lives where libsignal does and prints the way it does. */
function fakeLibsignal(): (session: unknown) => void {
  const dir = join(temp.dir, 'node_modules', 'libsignal', 'src');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'session_record.js');
  writeFileSync(file, 'module.exports = (session) => console.info("Closing session:", session);\n');
  return createRequire(import.meta.url)(file) as (session: unknown) => void;
}

describe('the libraries’ console output', () => {
  it('goes to the logger, redacted, while a core runs; everyone else’s console is untouched', () => {
    const table = console as unknown as Record<string, (...args: unknown[]) => void>;
    const printed: unknown[][] = [];
    const original = table.info!;
    table.info = (...args: unknown[]) => void printed.push(args);
    try {
      const sink = createMemorySink();
      const stop = routeLibraryConsole(createLogger({ sinks: [sink] }));
      const closing = fakeLibsignal();
      const privKey = Buffer.alloc(32, 7);
      closing({ currentRatchet: { ephemeralKeyPair: { privKey, pubKey: Buffer.alloc(33, 5) } } });
      table.info('ours', 1);
      expect(printed).toEqual([['ours', 1]]);
      const [entry] = sink.ofType('whatsapp.library_console');
      expect(entry).toMatchObject({ level: 'debug', message: 'Closing session:' });
      expect(entry!.meta).toEqual({
        library: 'libsignal',
        args: [
          { currentRatchet: { ephemeralKeyPair: { privKey: '[redacted]', pubKey: '[Buffer 33 bytes]' } } },
        ],
      });
      stop();
      closing({ privKey });
      expect(printed).toHaveLength(2); // restored: straight to the console again
    } finally {
      table.info = original;
      temp.cleanup();
    }
  });
});
