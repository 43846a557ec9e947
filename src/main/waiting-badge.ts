/**
 * How the desktop shows the chats waiting for a person outside the window: the number on the dock /
 * launcher icon where the OS draws one (macOS, Unity-style Linux launchers: `app.setBadgeCount`), a red
 * dot over the taskbar button on Windows (`setOverlayIcon`, which takes an image, not a number) with
 * the count in its accessible description. The window title ("(3) Switchboard") is the renderer's
 * document title, as in a browser tab.
 */
export interface WaitingBadge {
  /** For app.setBadgeCount: 0 clears it. */
  badgeCount: number;
  /** Windows: show the overlay dot (null clears it), with this description for screen readers. */
  overlay: { description: string } | null;
}

export function chatsNeedingYou(count: number): string {
  return count === 1 ? '1 chat needs you' : `${count} chats need you`;
}

export function waitingBadge(waiting: number, platform: NodeJS.Platform): WaitingBadge {
  const count = Math.max(0, Math.floor(waiting));
  return {
    badgeCount: platform === 'win32' ? 0 : count,
    overlay: platform === 'win32' && count > 0 ? { description: chatsNeedingYou(count) } : null,
  };
}

export interface WaitingCounter {
  /** Counts again soon (events come in bursts: one read for many). */
  refresh(): void;
  current(): number;
  stop(): void;
}

/**
 * The chats waiting for a person over every workspace on this computer, counted again (debounced)
 * whenever a chat changes or escalates; `onChange` hears each new total.
 */
export function createWaitingCounter(options: {
  count: () => Promise<number>;
  onChange: (waiting: number) => void;
  onError?: (error: unknown) => void;
  debounceMs?: number;
  setTimer?: (fn: () => void, ms: number) => () => void;
}): WaitingCounter {
  const setTimer =
    options.setTimer ??
    ((fn, ms) => {
      const handle = setTimeout(fn, ms);
      return () => clearTimeout(handle);
    });
  let waiting = 0;
  let cancel: (() => void) | undefined;
  let running = false;
  let again = false;
  let stopped = false;

  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      const next = await options.count();
      if (!stopped && next !== waiting) {
        waiting = next;
        options.onChange(next);
      }
    } catch (error) {
      options.onError?.(error);
    } finally {
      running = false;
      if (again && !stopped) {
        again = false;
        void run();
      }
    }
  };

  return {
    refresh() {
      if (stopped || cancel !== undefined) return;
      cancel = setTimer(() => {
        cancel = undefined;
        void run();
      }, options.debounceMs ?? 250);
    },
    current: () => waiting,
    stop() {
      stopped = true;
      cancel?.();
      cancel = undefined;
    },
  };
}
