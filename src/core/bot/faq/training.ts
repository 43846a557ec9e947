/**
 * The passive-aggressive epochs of the FAQ index (see faq-index.ts), as a pure function of flat arrays:
 * the one part of indexing that costs seconds at 1,000 FAQs, so it can run in a worker thread
 * (training-worker.ts) with nothing but this file, and on the main thread with the same result when
 * the worker is unavailable. The index prepares a job (each phrasing's features, its rivals and the
 * fixed centroid scores) and copies the learned rows the job touches; the epochs update those copies,
 * which the index swaps in whole.
 */
export interface TrainingJob {
  /** Where each example's features start in `cols`/`vals` (one more entry than examples). */
  offsets: Int32Array;
  /** Each feature's column in a learned row. */
  cols: Int32Array;
  vals: Float64Array;
  /** Per example: its squared norm. */
  norms: Float64Array;
  /** Per example: its own FAQ's row (an index into `rows`, in units of `width`). */
  own: Int32Array;
  /** Per example: its centroid score against its own FAQ. */
  base: Float64Array;
  /** Where each example's rivals start in `rivals`/`rivalBase` (one more entry than examples). */
  rivalOffsets: Int32Array;
  rivals: Int32Array;
  rivalBase: Float64Array;
  /** The learned rows the job touches, `width` floats each; updated in place. */
  rows: Float32Array;
  width: number;
  epochs: number;
  margin: number;
  maxStep: number;
  /** An epoch that updates no more than this share of the examples is the last. */
  stopShare: number;
}

/** Trains a job's rows; resolves with them (the same values wherever it ran). */
export type Trainer = (job: TrainingJob) => Promise<Float32Array>;

/** Runs the epochs on this thread: for small jobs, and when no worker is available. */
export const localTrainer: Trainer = (job) => Promise.resolve(runTraining(job));

/** The typed arrays a job is made of, to transfer them to a worker rather than copy them. */
export function jobBuffers(job: TrainingJob): ArrayBuffer[] {
  const arrays = [
    job.offsets,
    job.cols,
    job.vals,
    job.norms,
    job.own,
    job.base,
    job.rivalOffsets,
    job.rivals,
    job.rivalBase,
    job.rows,
  ];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

/**
 * The epochs: each pass visits the examples in a seeded shuffle; whenever an example's own FAQ does
 * not lead its best rival by `margin`, the own row moves toward the example and the rival's away
 * (the PA-I step, capped at `maxStep`). Returns `job.rows`.
 */
export function runTraining(job: TrainingJob): Float32Array {
  const { offsets, cols, vals, norms, own, base, rivalOffsets, rivals, rivalBase, rows, width } = job;
  const count = norms.length;
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const rowScore = (row: number, from: number, to: number): number => {
    const at = row * width;
    let sum = 0;
    for (let k = from; k < to; k++) sum += vals[k]! * rows[at + cols[k]!]!;
    return sum;
  };
  let seed = 20_240_611;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  for (let epoch = 0; epoch < job.epochs; epoch++) {
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = order[i]!;
      order[i] = order[j]!;
      order[j] = swap;
    }
    let updates = 0;
    for (let n = 0; n < count; n++) {
      const ex = order[n]!;
      const firstRival = rivalOffsets[ex]!;
      const lastRival = rivalOffsets[ex + 1]!;
      if (norms[ex] === 0 || firstRival === lastRival) continue;
      const from = offsets[ex]!;
      const to = offsets[ex + 1]!;
      const ownScore = base[ex]! + rowScore(own[ex]!, from, to);
      let rival = -1;
      let rivalScore = -Infinity;
      for (let r = firstRival; r < lastRival; r++) {
        const score = rivalBase[r]! + rowScore(rivals[r]!, from, to);
        if (score > rivalScore) {
          rivalScore = score;
          rival = rivals[r]!;
        }
      }
      const loss = job.margin - (ownScore - rivalScore);
      if (loss <= 0) continue;
      const step = Math.min(job.maxStep, loss / (2 * norms[ex]!));
      const ownAt = own[ex]! * width;
      const rivalAt = rival * width;
      for (let k = from; k < to; k++) {
        const delta = step * vals[k]!;
        const col = cols[k]!;
        rows[ownAt + col] = rows[ownAt + col]! + delta;
        rows[rivalAt + col] = rows[rivalAt + col]! - delta;
      }
      updates++;
    }
    if (updates <= count * job.stopShare) break;
  }
  return rows;
}
