import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runTraining, type Trainer, type TrainingJob } from './training';

/**
 * Runs the FAQ index's training epochs in one worker thread, started on the first big job and kept
 * (unreferenced: it never holds the process open). A job is copied to the worker, not transferred, so
 * if the worker dies (a crash, out of memory, terminated) its jobs run here instead, with the same
 * result, and the next job starts a new worker; after `maxRestarts` deaths every job runs here.
 *
 * The worker's entry: in the electron-vite build, `faq-training-worker.js` beside the bundled main
 * (an input of electron.vite.config.ts); from the sources (tsx, vitest), training-worker.ts, loaded
 * by a small script that registers tsx in the worker first (Node 20 does not pass `--import` hooks on
 * to worker threads).
 */
export interface WorkerTrainerOptions {
  /** The worker's script; defaults as described above. */
  entry?: URL;
  /** Jobs smaller than this (features x rows x epochs) run on this thread: a worker round trip costs more. */
  minWork?: number;
  maxRestarts?: number;
  /** Told each time a job falls back to this thread because the worker died. */
  onFallback?: (error: Error) => void;
}

export interface WorkerTrainer {
  readonly train: Trainer;
  /** Jobs the worker finished, and jobs run here after the worker died. */
  stats(): { inWorker: number; fallbacks: number; restarts: number };
  /** Stops the worker (the next job starts a new one). */
  close(): Promise<void>;
}

/** About a millisecond of epochs on this thread. */
const MIN_WORK = 200_000;
const MAX_RESTARTS = 3;

export function defaultTrainingWorkerEntry(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('./training-worker.ts', here)
    : new URL('./faq-training-worker.js', here);
}

/** Starts a worker on a script, through tsx when it is TypeScript. */
function startWorker(entry: URL): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  // tsx's ESM API module, found from its main entry (dist/loader.mjs) since a resolve from here takes
  // the CommonJS build of it.
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx'));
  const api = new URL('./esm/api/index.mjs', loader).href;
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true });
}

/** A job's size in multiply-adds per epoch pass, roughly. */
export function trainingWork(job: TrainingJob): number {
  const examples = Math.max(1, job.norms.length);
  return job.cols.length * (1 + job.rivals.length / examples) * job.epochs;
}

export function createWorkerTrainer(options: WorkerTrainerOptions = {}): WorkerTrainer {
  const minWork = options.minWork ?? MIN_WORK;
  const maxRestarts = options.maxRestarts ?? MAX_RESTARTS;
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, { job: TrainingJob; resolve: (rows: Float32Array) => void }>();
  const counts = { inWorker: 0, fallbacks: 0, restarts: 0 };
  let starts = 0;

  function fallBack(error: Error): void {
    const jobs = [...pending.values()];
    pending.clear();
    worker = undefined;
    for (const { job, resolve } of jobs) {
      counts.fallbacks++;
      options.onFallback?.(error);
      resolve(runTraining(job));
    }
  }

  function start(): Worker | undefined {
    if (worker !== undefined) return worker;
    if (starts > maxRestarts) return undefined;
    if (starts > 0) counts.restarts++;
    starts++;
    const started = startWorker(options.entry ?? defaultTrainingWorkerEntry());
    started.unref();
    started.on('message', (message: { id: number; rows: Float32Array }) => {
      const job = pending.get(message.id);
      if (job === undefined) return;
      pending.delete(message.id);
      counts.inWorker++;
      job.resolve(message.rows);
    });
    started.on('error', (error) => {
      if (worker === started) fallBack(error);
    });
    started.on('exit', (code) => {
      if (worker === started) fallBack(new Error(`the FAQ training worker stopped (exit code ${code})`));
    });
    worker = started;
    return started;
  }

  return {
    train(job) {
      if (trainingWork(job) < minWork) return Promise.resolve(runTraining(job));
      const target = start();
      if (target === undefined) return Promise.resolve(runTraining(job));
      return new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, { job, resolve });
        target.postMessage({ id, job });
      });
    },
    stats: () => ({ ...counts }),
    async close() {
      const stopping = worker;
      worker = undefined;
      // Jobs still out are trained here (close is for shutdown and tests, rarely with jobs out).
      if (pending.size > 0) fallBack(new Error('the FAQ training worker was closed'));
      starts = 0;
      await stopping?.terminate();
    },
  };
}

let shared: WorkerTrainer | undefined;

/** The process's one training worker, shared by every workspace's bot. */
export function sharedWorkerTrainer(): WorkerTrainer {
  return (shared ??= createWorkerTrainer());
}
