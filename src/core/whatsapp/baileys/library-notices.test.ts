import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../log/logger';
import { createMemorySink } from '../../testing/memory-sink';
import { makeTempDir } from '../../testing/temp-files';
import { createBaileysLogger } from './baileys-logger';
import { routeLibraryConsole } from './library-console';
import { libraryLevel } from './library-notices';

const temp = makeTempDir('switchboard-library-notices-');
afterAll(() => temp.cleanup());

describe('routine library messages', () => {
  it('logs the 515 restart after a scan as information, and other stream errors as errors', () => {
    const sink = createMemorySink();
    const baileys = createBaileysLogger(createLogger({ sinks: [sink] })).child({ number: '+2348031234567' });
    // As Baileys logs them (socket.js, on 'CB:stream:error').
    baileys.error({ fullErrorNode: { tag: 'stream:error', attrs: { code: '515' } } }, 'stream errored out');
    baileys.error({ fullErrorNode: { tag: 'stream:error', attrs: { code: '503' } } }, 'stream errored out');
    baileys.warn('⚠️ DANGER: DISABLING ALL SYNC BY shouldSyncHistoryMsg PREVENTS BAILEYS FROM ACCESSING');
    baileys.warn('Timeout in AwaitingInitialSync, forcing state to Online and flushing buffer');
    baileys.warn({ err: 'x' }, 'failed to decrypt message');
    expect(sink.entries.map((e) => [e.level, e.type])).toEqual([
      ['info', 'baileys.notice'],
      ['error', 'baileys.error'],
      ['info', 'baileys.notice'],
      ['info', 'baileys.notice'],
      ['warn', 'baileys.warn'],
    ]);
    expect(sink.entries[0]!.meta).toMatchObject({ number: '+2348031234567' });
  });

  it('logs libsignal’s session bookkeeping from the console as a technical note', () => {
    const dir = join(temp.dir, 'node_modules', 'libsignal', 'src');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'session_builder.js');
    writeFileSync(
      file,
      'module.exports = () => { console.warn("Closing open session in favor of incoming prekey bundle"); console.warn("Bad MAC"); };\n',
    );
    const builder = createRequire(import.meta.url)(file) as () => void;
    const sink = createMemorySink();
    const stop = routeLibraryConsole(createLogger({ sinks: [sink] }));
    try {
      builder();
    } finally {
      stop();
    }
    expect(sink.ofType('whatsapp.library_console').map((e) => [e.level, e.message])).toEqual([
      ['debug', 'Closing open session in favor of incoming prekey bundle'],
      ['warn', 'Bad MAC'],
    ]);
  });

  it('never raises a level', () => {
    expect(libraryLevel('Closing session:', {}, 'debug')).toBe('debug');
    expect(libraryLevel('stream errored out', { reasonNode: { attrs: { code: 515 } } }, 'error')).toBe(
      'info',
    );
    expect(libraryLevel('stream errored out', {}, 'error')).toBe('error');
  });
});
