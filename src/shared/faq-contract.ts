/** FAQ answers as "try a message" shows them, imports, and the questions the bot could not answer. */

/** One FAQ as "try a message" shows it. */
export interface FaqTryMatch {
  faqId: string;
  question: string;
  /** Calibrated, 0-1. */
  confidence: number;
  /** The FAQ's phrasing (or question) closest to the message. */
  matchedPhrasing: string;
  /** The message's words that carried the match, strongest first. */
  words: string[];
  /** How the message was read (Pidgin, chat spellings, typos). */
  notes: string[];
  /** Whether the bot would send this answer at the workspace's threshold. */
  wouldAnswer: boolean;
}

export interface FaqTryResult {
  threshold: number;
  /** Best first, at most three, whatever their confidence. */
  matches: FaqTryMatch[];
}

export interface FaqImportResult {
  created: number;
  updated: number;
  /** Rows left out, with the line they start on. */
  errors: { line: number; message: string }[];
}

/** Similar questions the bot could not answer, as the Unanswered screen shows them. */
export interface UnansweredGroupView {
  key: string;
  /** The most asked wording. */
  representative: string;
  /** Times any question of the group was asked. */
  count: number;
  lastSeenAt: number;
  /** The group's wordings, most asked first. */
  samples: { id: string; text: string; count: number }[];
  /** Every question id of the group (what `unanswered.resolve` takes). */
  ids: string[];
}
