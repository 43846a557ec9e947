/**
 * Child process of whatsapp-memory.bench.ts: connects N already-linked numbers from a data folder to
 * the local WhatsApp server and reports its RSS after a forced GC. Mode 'core' runs the real core
 * (createSwitchboard: SQLite auth, supervisor, logging); mode 'bare' runs plain Baileys sockets on the
 * same stored credentials, as the library's own cost in the same run. Prints one JSON line.
 */
import makeWASocket from '@whiskeysockets/baileys';
import pino from 'pino';
import { createSwitchboard } from '../src/core/app';
import { createLogger } from '../src/core/log/logger';
import { openDatabase } from '../src/core/store/open-database';
import { createNumberDirectory } from '../src/core/store/repositories/phone-numbers';
import { createWaAuthRepository } from '../src/core/store/repositories/wa-auth';
import { createFileKeySecretBox } from '../src/core/secrets/file-key-secret-box';
import { loadSqliteAuthState } from '../src/core/whatsapp/baileys/sqlite-auth-state';
import { trustSimulator } from '../src/simulator/index';

const [mode, dataDir, url, rootHex, countText] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const count = Number(countText);
trustSimulator({ rootPublicKey: Uint8Array.from(Buffer.from(rootHex, 'hex')) });

const gc = (globalThis as { gc?: () => void }).gc;
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 300));
  }
};

async function main(): Promise<void> {
  if (mode === 'core') {
    const core = await createSwitchboard({
      dataDir,
      whatsapp: { waWebSocketUrl: url, livenessIntervalMs: 0 },
    });
    const numbers = (await createNumberDirectory(core.store.db).listAll()).slice(0, count);
    const open = new Set<string>();
    const done = new Promise<void>((resolve) => {
      if (count === 0) resolve();
      core.onConnectionEvent((e) => {
        if (e.type === 'state' && e.state.status === 'connected') open.add(e.number);
        if (open.size >= count) resolve();
      });
    });
    for (const n of numbers) await core.connect(n.workspaceId, n.id);
    await done;
    await settle();
    console.log(JSON.stringify({ mode, count, rss: process.memoryUsage().rss }));
    await core.close();
  } else {
    const store = await openDatabase({ path: `${dataDir}/switchboard.db` });
    const numbers = (await createNumberDirectory(store.db).listAll()).slice(0, count);
    const repo = createWaAuthRepository(store.db, createFileKeySecretBox({ dataDir }));
    const logger = createLogger({ sinks: [] });
    const sockets = [];
    let open = 0;
    const done = new Promise<void>((resolve) => {
      if (count === 0) resolve();
      for (const n of numbers) {
        void loadSqliteAuthState({
          repo,
          workspaceId: n.workspaceId,
          phoneNumberId: n.id,
          logger,
          now: Date.now,
        }).then((auth) => {
          const sock = makeWASocket({
            auth: auth.state,
            waWebSocketUrl: url,
            logger: pino({ level: 'silent' }),
            markOnlineOnConnect: false,
            syncFullHistory: false,
          });
          sockets.push(sock);
          sock.ev.on('connection.update', (u) => {
            if (u.connection === 'open' && ++open >= count) resolve();
          });
        });
      }
    });
    await done;
    await settle();
    console.log(JSON.stringify({ mode, count, rss: process.memoryUsage().rss }));
    process.exit(0);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
