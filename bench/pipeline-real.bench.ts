/**
 * pipeline.loop_delay.real.p99: how responsive the core stays while 2,000 customer messages arrive over
 * the real Baileys client from the local WhatsApp server (200 customers x 10 messages over 4 numbers,
 * the core in its own process with a real SQLite file, answered through the paced outbox). The baseline
 * is a bare Node process measured over the same burst on the same machine: the floor the machine and
 * the simulator's load allow. Also prints the core's heap after GC and the burst's wall time.
 *
 *   npx tsx bench/pipeline-real.bench.ts
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { makeTempDir } from '../src/core/testing/temp-files';
import { startWhatsAppServer, trustSimulator } from '../src/simulator/index';
import {
  distinctReplies,
  kill,
  loopStats,
  prepareShop,
  sendBurst,
  startCoreProcess,
  waitUntil,
} from '../test/pipeline/core-child';

const NUMBERS = ['+2348090000001', '+2348090000002', '+2348090000003', '+2348090000004'];
const ANSWER = 'Our price list: rice ₦2,500, beans ₦1,800. Reply with what you want.';

/** A Node process doing nothing but measuring its own event-loop delay, answering STATS like the core. */
function startIdleProcess(children: Set<ChildProcess>): ChildProcess {
  const script = `
    const { monitorEventLoopDelay } = require('node:perf_hooks');
    const d = monitorEventLoopDelay({ resolution: 5 }); d.enable();
    require('node:readline').createInterface({ input: process.stdin }).on('line', () => {
      process.stdout.write('STATS ' + JSON.stringify({ p99: d.percentile(99) / 1e6, max: d.max / 1e6,
        mean: d.mean / 1e6, heapMb: process.memoryUsage().heapUsed / 1048576 }) + '\\n');
      d.reset();
    });
    setInterval(() => {}, 1 << 30);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(child);
  return child;
}

const children = new Set<ChildProcess>();
const temp = makeTempDir('switchboard-bench-real-');
const server = await startWhatsAppServer();
trustSimulator(server);
try {
  const dataDir = join(temp.dir, 'data');
  await prepareShop(server, dataDir, {
    numbers: NUMBERS,
    faqs: [{ question: 'price', answer: ANSWER }],
    pacing: { enabled: false, perMinute: 600, burst: 50 },
  });
  const core = await startCoreProcess(server, dataDir, children, NUMBERS.length);
  const idle = startIdleProcess(children);
  const before = await loopStats(core); // resets both histograms: the burst only
  await loopStats(idle);
  const started = Date.now();
  const contacts = await sendBurst(server, NUMBERS, 'price');
  const total = () => contacts.reduce((n, c) => n + distinctReplies(c), 0);
  await waitUntil(
    () => total() >= 2000,
    600_000, // generous: a bench on a loaded machine is slow, not wrong
    () => `${total()} of 2000 answered`,
  );
  const seconds = (Date.now() - started) / 1000;
  const [coreStats, idleStats] = [await loopStats(core), await loopStats(idle)];
  process.stderr.write(
    `burst: 2000 answered in ${seconds.toFixed(1)} s; core p99 ${coreStats.p99.toFixed(1)} ms (max ${coreStats.max.toFixed(1)}), ` +
      `bare process p99 ${idleStats.p99.toFixed(1)} ms; core heap after GC ${before.heapMb.toFixed(0)} -> ${coreStats.heapMb.toFixed(0)} MB\n`,
  );
  const round = (n: number) => Math.round(n * 10) / 10;
  console.log(
    JSON.stringify({
      name: 'pipeline.loop_delay.real.p99',
      value: round(coreStats.p99),
      unit: 'ms',
      baseline: round(idleStats.p99),
      ratio: Math.round((coreStats.p99 / Math.max(idleStats.p99, 0.001)) * 100) / 100,
      max_ms: round(coreStats.max),
      heap_mb: Math.round(coreStats.heapMb),
      burst_s: round(seconds),
    }),
  );
  await kill(core);
  await kill(idle);
} finally {
  for (const child of children) child.kill('SIGKILL');
  await server.stop();
  temp.cleanup();
}
