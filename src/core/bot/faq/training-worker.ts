import { parentPort } from 'node:worker_threads';
import { runTraining, type TrainingJob } from './training';

/**
 * The worker thread that runs the FAQ index's training epochs (training-pool.ts starts it): a job in,
 * its trained rows out, so seconds of arithmetic at 1,000 FAQs never hold the app's event loop.
 */
parentPort?.on('message', (message: { id: number; job: TrainingJob }) => {
  const rows = runTraining(message.job);
  parentPort!.postMessage({ id: message.id, rows }, [rows.buffer as ArrayBuffer]);
});
