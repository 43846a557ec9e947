// Delivers webhook notifications the way Meta does: POSTed to the callback URL, signed with the App
// Secret over the exact bytes sent, retried with growing delays until the receiver answers 200, and now
// and then delivered twice.
import { createHmac } from 'node:crypto';
import { metaJson } from './notifications';

export interface WebhookBehaviour {
  /** First retry after this, doubling per attempt up to retryMaxMs (Meta: "decreasing frequency", for 7 days). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Attempts before giving up on a notification. */
  maxAttempts: number;
  /** Chance that a delivered notification is POSTed once more (Meta warns of duplicates). */
  duplicateRate: number;
  /** A receiver slower than this counts as failed, and the notification is retried. */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_BEHAVIOUR: WebhookBehaviour = {
  retryBaseMs: 250,
  retryMaxMs: 10_000,
  maxAttempts: 40,
  duplicateRate: 0,
  timeoutMs: 5_000,
};

export interface WebhookDelivery {
  readonly id: number;
  /** The exact bytes POSTed (and signed). */
  readonly body: Buffer;
  readonly signature: string;
  /** What each POST got: an HTTP status, or the network error. Duplicates included. */
  readonly results: (number | string)[];
  state: 'pending' | 'delivered' | 'gave-up';
}

export interface WebhookSenderDeps {
  appSecret: string;
  url(): string | null;
  behaviour: WebhookBehaviour;
  random(): number;
  log(line: string): void;
}

export function signBody(body: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

export class WebhookSender {
  private readonly deliveries: WebhookDelivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly idleWaiters = new Set<() => void>();
  private inFlight = 0;
  private stopped = false;

  constructor(private readonly deps: WebhookSenderDeps) {}

  /** Queues one notification for delivery; returns its record (state and results fill in over time). */
  send(notification: unknown): WebhookDelivery {
    const delivery = this.queue(notification);
    void this.attempt(delivery, false);
    return delivery;
  }

  /**
   * The same, resolving once the first attempt has been answered: a message's statuses go one after
   * another this way, so with `outOfOrder: 0` they arrive in order even on a loaded machine (separate
   * concurrent POSTs can overtake each other).
   */
  async sendInTurn(notification: unknown): Promise<void> {
    await this.attempt(this.queue(notification), false);
  }

  private queue(notification: unknown): WebhookDelivery {
    const body = metaJson(notification);
    const delivery: WebhookDelivery = {
      id: this.deliveries.length + 1,
      body,
      signature: signBody(body, this.deps.appSecret),
      results: [],
      state: 'pending',
    };
    this.deliveries.push(delivery);
    return delivery;
  }

  /** POSTs an already delivered notification again, byte for byte: a replay or a Meta duplicate. */
  replay(delivery: WebhookDelivery): void {
    void this.attempt(delivery, true);
  }

  get all(): readonly WebhookDelivery[] {
    return this.deliveries;
  }

  /** Resolves when nothing is in flight or waiting for a retry. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.add(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.wakeIdle();
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.timers.size === 0;
  }

  private wakeIdle(): void {
    if (!this.isIdle() && !this.stopped) return;
    for (const resolve of [...this.idleWaiters]) resolve();
    this.idleWaiters.clear();
  }

  private async attempt(delivery: WebhookDelivery, duplicate: boolean): Promise<void> {
    if (this.stopped) return;
    this.inFlight++;
    const result = await this.post(delivery);
    this.inFlight--;
    delivery.results.push(result);
    if (this.stopped) return this.wakeIdle();
    if (duplicate) {
      this.deps.log(`webhook #${delivery.id} posted again: ${result}`);
    } else if (result === 200) {
      delivery.state = 'delivered';
      if (this.deps.random() < this.deps.behaviour.duplicateRate) this.later(0, () => this.replay(delivery));
    } else {
      const attempts = delivery.results.length;
      if (attempts >= this.deps.behaviour.maxAttempts) {
        delivery.state = 'gave-up';
        this.deps.log(`webhook #${delivery.id} given up after ${attempts} attempts`);
      } else {
        const { retryBaseMs, retryMaxMs } = this.deps.behaviour;
        const delay = Math.min(retryMaxMs, retryBaseMs * 2 ** (attempts - 1));
        this.deps.log(`webhook #${delivery.id} got ${result}; retry ${attempts + 1} in ${delay} ms`);
        this.later(delay, () => void this.attempt(delivery, false));
      }
    }
    this.wakeIdle();
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
      this.wakeIdle();
    }, ms);
    this.timers.add(timer);
  }

  private async post(delivery: WebhookDelivery): Promise<number | string> {
    const url = this.deps.url();
    if (url === null) return 'no callback URL';
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': delivery.signature },
        body: delivery.body,
        signal: AbortSignal.timeout(this.deps.behaviour.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown } }).cause;
      return `error: ${typeof cause?.code === 'string' ? cause.code : (error as Error).message}`;
    }
  }
}
