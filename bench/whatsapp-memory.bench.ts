/**
 * Memory per connected number: RSS of one core process with 0, 1, 5 and 20 numbers connected to the
 * local WhatsApp server (each count in a fresh child process, after forced GC), against plain Baileys
 * sockets on the same credentials in the same run. Prints JSON lines; progress goes to stderr.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSwitchboard } from '../src/core/app';
import { startWhatsAppServer, trustSimulator } from '../src/simulator/index';

const COUNTS = (process.env.BENCH_WA_COUNTS ?? '0,1,5,20').split(',').map(Number);
const MB = 1024 * 1024;

async function linkNumbers(
  dataDir: string,
  url: string,
  scan: (qr: string, phone: string) => Promise<void>,
): Promise<void> {
  const core = await createSwitchboard({
    dataDir,
    durability: 'normal',
    whatsapp: { waWebSocketUrl: url, livenessIntervalMs: 0 },
  });
  const connected = new Set<string>();
  core.onConnectionEvent((e) => {
    if (e.type === 'qr') void scan(e.qr, e.number);
    if (e.type === 'state' && e.state.status === 'connected') connected.add(e.number);
  });
  for (let w = 0; w < 4; w++) {
    const ws = await core.workspaces.create({ name: `Bench shop ${w}` });
    for (let i = 0; i < 5; i++) {
      const number = await core.workspaces.addNumber(ws.id, {
        number: `+23480900${String(w * 5 + i).padStart(5, '0')}`,
      });
      await core.connect(ws.id, number.id);
      const start = Date.now();
      while (!connected.has(number.e164)) {
        if (Date.now() - start > 30_000) throw new Error(`pairing ${number.e164} timed out`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
  await core.close();
}

/** Async on purpose: the local WhatsApp server lives in this process and must keep answering. */
function measure(
  mode: 'core' | 'bare',
  dataDir: string,
  url: string,
  rootHex: string,
  count: number,
): Promise<number> {
  const script = join(import.meta.dirname, 'whatsapp-memory.child.ts');
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', script, mode, dataDir, url, rootHex, String(count)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || line === '') reject(new Error(`${mode} ${count} failed (${code}): ${stderr}`));
      else resolve((JSON.parse(line) as { rss: number }).rss);
    });
  });
}

const server = await startWhatsAppServer();
trustSimulator(server);
const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-wa-'));
try {
  process.stderr.write('linking 20 numbers...\n');
  await linkNumbers(dataDir, server.url, (qr, phone) => server.scanQr(qr, phone));
  const rootHex = Buffer.from(server.rootPublicKey).toString('hex');
  const core: Record<number, number> = {};
  const bare: Record<number, number> = {};
  for (const n of COUNTS) {
    core[n] = await measure('core', dataDir, server.url, rootHex, n);
    bare[n] = await measure('bare', dataDir, server.url, rootHex, n);
    process.stderr.write(
      `${n} numbers: core ${(core[n] / MB).toFixed(1)} MB, bare Baileys ${(bare[n] / MB).toFixed(1)} MB\n`,
    );
  }
  const round = (x: number) => Math.round(x * 100) / 100;
  for (const n of COUNTS) {
    console.log(
      JSON.stringify({
        name: `whatsapp.rss.n${n}`,
        value: round(core[n]! / MB),
        unit: 'MB',
        baseline: round(bare[n]! / MB),
        ratio: round(core[n]! / bare[n]!),
      }),
    );
  }
  const perNumber = (core[20]! - core[1]!) / 19 / MB;
  const barePerNumber = (bare[20]! - bare[1]!) / 19 / MB;
  console.log(
    JSON.stringify({
      name: 'whatsapp.rss_per_number',
      value: round(perNumber),
      unit: 'MB',
      baseline: round(barePerNumber),
      ratio: round(perNumber / barePerNumber),
    }),
  );
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
