/**
 * Turns raw scores into a confidence that means "probability this answer is the right one", so a
 * workspace threshold of 0.55 means the same thing for a shop with 10 FAQs and one with 1,000.
 *
 * Signals, each comparable across shop sizes:
 * - `score`: the FAQ's score (centroid cosine plus learned correction; about 0 to 1);
 * - `margin`: its lead over the best other FAQ. Absolute similarity alone cannot tell "delivery to
 *   Abuja" from "delivery to Lagos" when both FAQs exist; the lead can. With one FAQ the lead is the
 *   score itself. The margin is what makes confidence honest in a big shop: close rivals lower it;
 * - `nearest`: cosine to the FAQ's single closest phrasing (a near-verbatim match is reliable even
 *   when the FAQ's other phrasings differ);
 * - `coverage`: the rarity-weighted share of the message's content words that the FAQ's phrasings use
 *   (a rare word the FAQ never mentions often means another question on the same topic);
 * - `unknown`: the weight share of the message's rarest word that no FAQ has at all (after spelling
 *   correction and synonyms): "light bill" at a food vendor, "rent" in "how much is your shop rent";
 * - `faqs` and `phrasings`: ln of the FAQ count and of the mean phrasings per FAQ. In a 10-FAQ shop with
 *   3 phrasings each, one rare word gives a lead that would mean much more among 1,000 FAQs.
 *
 * Platt scaling (a logistic on those), fitted by `npx tsx bench/fit-calibration.ts` on three groups
 * weighed alike: Banking77 *training* queries with 5, 10 and 30 phrasings per intent and sets of 10
 * intents held out as never-answerable; Banking77 shops of 8-15 intents with 3 phrasings (shop-sets.ts,
 * other seeds than the benchmark's); and the fitting half of the Nigerian shops (half weight). Never on
 * Banking77's test set, the benchmark's held-out intents or the held-out half of the Nigerian shops. The
 * fit script prints the reliability table it reaches for each group.
 */
export const CALIBRATION = {
  bias: -0.74,
  score: 0.74,
  margin: 10.7,
  nearest: 0.34,
  coverage: 2.08,
  unknown: -0.98,
  faqs: -0.28,
  phrasings: -0.31,
} as const;

export interface ConfidenceInputs {
  score: number;
  /** Score minus the best other FAQ's score (negative when another FAQ ranks above). */
  margin: number;
  nearest: number;
  /** 0 to 1; 1 when the message has no content words at all. */
  coverage: number;
  /** 0 to 1: the weight share of the message's rarest word that no FAQ has (0 when none). */
  unknown?: number;
  /** ln(number of FAQs). */
  faqs?: number;
  /** ln(mean phrasings per FAQ, the question included). */
  phrasings?: number;
}

export type Calibration = { readonly [K in keyof ConfidenceInputs | 'bias']-?: number };

export function confidence(inputs: ConfidenceInputs, calibration: Calibration = CALIBRATION): number {
  const z =
    calibration.bias +
    calibration.score * inputs.score +
    calibration.margin * inputs.margin +
    calibration.nearest * inputs.nearest +
    calibration.coverage * inputs.coverage +
    calibration.unknown * (inputs.unknown ?? 0) +
    calibration.faqs * (inputs.faqs ?? 0) +
    calibration.phrasings * (inputs.phrasings ?? 0);
  return 1 / (1 + Math.exp(-z));
}
