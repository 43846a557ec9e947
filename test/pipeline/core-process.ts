// The core as its own process, for crash tests: the test kills it with SIGKILL and starts it again.
// Args: <dataDir> <waWebSocketUrl> <simulator root key hex>. Prints READY once a number is connected
// (READY <n> for each further one).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { createSwitchboard } from '../../src/core/app';
import { trustSimulator } from '../../src/simulator/index';

const [dataDir, url, rootHex] = process.argv.slice(2) as [string, string, string];
trustSimulator({ rootPublicKey: Uint8Array.from(Buffer.from(rootHex, 'hex')) });

const core = await createSwitchboard({ dataDir, whatsapp: { waWebSocketUrl: url, livenessIntervalMs: 0 } });
const connected = new Set<string>();
core.onConnectionEvent((event) => {
  if (event.type === 'state' && event.state.status === 'connected' && !connected.has(event.number)) {
    connected.add(event.number);
    process.stdout.write(`READY ${connected.size}\n`);
  }
});
await core.start();
process.on('SIGTERM', () => {
  void core.close().then(() => process.exit(0));
});
// "STATS" on stdin: the event-loop delay seen since the last request (how responsive the core stayed).
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'STATS') return;
  // The heap still in use after a full collection (the test runs this process with --expose-gc):
  // what the core really keeps, not garbage V8 has not collected yet.
  (globalThis as { gc?: () => void }).gc?.();
  const heapMb = process.memoryUsage().heapUsed / 1048576;
  process.stdout.write(
    `STATS ${JSON.stringify({ p99: delay.percentile(99) / 1e6, max: delay.max / 1e6, mean: delay.mean / 1e6, heapMb })}\n`,
  );
  delay.reset();
});
// Keep the process alive: the core's own timers are unref'd so they never hold a stopping process.
setInterval(() => undefined, 1 << 30);
