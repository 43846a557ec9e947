import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createFaqMatcher } from './faq-matcher';
import { createWorkerTrainer, type WorkerTrainer } from './training-pool';
import { runTraining, type TrainingJob } from './training';
import { PHARMACY_FAQS } from './testing/shop-faqs';

/** A real job: the pharmacy's FAQs edited once, captured as the matcher hands it to its trainer. */
async function realJob(): Promise<TrainingJob> {
  const matcher = createFaqMatcher();
  for (const faq of PHARMACY_FAQS) matcher.upsert(faq);
  matcher.warmUp();
  let captured: TrainingJob | undefined;
  const faq = PHARMACY_FAQS[0]!;
  await matcher.edit(
    faq.id,
    { ...faq, phrasings: [...faq.phrasings, 'una dey open for christmas'] },
    (job) => {
      captured = structuredClone(job);
      return Promise.resolve(runTraining(job));
    },
  );
  return captured!;
}

const copy = (job: TrainingJob): TrainingJob => structuredClone(job);

let trainer: WorkerTrainer | undefined;
afterEach(async () => {
  await trainer?.close();
  trainer = undefined;
});

describe('the FAQ training worker', () => {
  it('trains in a worker thread to exactly the rows this thread would', async () => {
    const job = await realJob();
    const expected = runTraining(copy(job));
    trainer = createWorkerTrainer({ minWork: 0 });
    const rows = await trainer.train(copy(job));
    expect(trainer.stats()).toMatchObject({ inWorker: 1, fallbacks: 0 });
    expect(rows).toEqual(expected);
    expect(expected.some((v) => v !== 0)).toBe(true);
  });

  it('a worker that dies falls back to this thread with the same rows, and the next job starts a new worker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faq-worker-'));
    const crashing = join(dir, 'crashing-worker.mjs');
    writeFileSync(
      crashing,
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n",
    );
    const failures: string[] = [];
    trainer = createWorkerTrainer({
      minWork: 0,
      maxRestarts: 1,
      entry: pathToFileURL(crashing),
      onFallback: (error) => failures.push(error.message),
    });
    const job = await realJob();
    const expected = runTraining(copy(job));
    expect(await trainer.train(copy(job))).toEqual(expected);
    expect(failures).toEqual(['the FAQ training worker stopped (exit code 3)']);
    expect(await trainer.train(copy(job))).toEqual(expected);
    expect(trainer.stats()).toEqual({ inWorker: 0, fallbacks: 2, restarts: 1 });
    // Past its restarts every job runs here, without another worker.
    expect(await trainer.train(copy(job))).toEqual(expected);
    expect(trainer.stats()).toEqual({ inWorker: 0, fallbacks: 2, restarts: 1 });
  });

  it('a job out when the worker is stopped is trained here', async () => {
    trainer = createWorkerTrainer({ minWork: 0 });
    const job = await realJob();
    const expected = runTraining(copy(job));
    const training = trainer.train(copy(job));
    await trainer.close();
    expect(await training).toEqual(expected);
    expect(trainer.stats().fallbacks).toBe(1);
  });

  it('a small job runs here without starting a worker', async () => {
    trainer = createWorkerTrainer();
    const job = await realJob();
    expect(await trainer.train(copy(job))).toEqual(runTraining(copy(job)));
    expect(trainer.stats()).toEqual({ inWorker: 0, fallbacks: 0, restarts: 0 });
  });
});
