/**
 * The pusher's run of failed attempts: how many in a row (the backoff grows with it) and the last
 * failure's message, so a streak of the same failure reaches the workspace's log once.
 */
export interface FailureStreak {
  /** Failed attempts in a row (0 after a success). */
  readonly count: number;
  /** One more failure: the new count. */
  bump(): number;
  /** The failure's message: true when it differs from the last one's (the streak's first of its kind). */
  note(message: string): boolean;
  /** A success: true when it ends a streak that was logged. */
  succeed(): boolean;
  /** Start counting again (a new half of a poison batch gets the first quick attempts). */
  restart(): void;
}

export function createFailureStreak(): FailureStreak {
  let count = 0;
  let failingWith: string | null = null;
  return {
    get count() {
      return count;
    },
    note(message) {
      const fresh = failingWith !== message;
      failingWith = message;
      return fresh;
    },
    bump() {
      count += 1;
      return count;
    },
    succeed() {
      count = 0;
      const wasFailing = failingWith !== null;
      failingWith = null;
      return wasFailing;
    },
    restart() {
      count = 0;
    },
  };
}
