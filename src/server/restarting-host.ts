import { startHeadlessHost, type HeadlessHost, type HeadlessHostOptions } from './host';

export interface RestartingHost {
  /** The host now running (a new one after each restart, on the same address). */
  readonly current: HeadlessHost;
  /** Resolves after the next restart has finished (tests wait on it). */
  nextRestart(): Promise<HeadlessHost>;
  close(): Promise<void>;
}

/**
 * The headless host, restarted in place when a restore was staged from the app: a backup is put in
 * place while the database is closed, so the core stops, the restore is applied at its next start, and
 * the same address serves again (the browser's event stream reconnects by itself).
 */
export async function startRestartingHost(
  options: HeadlessHostOptions,
  onError: (error: unknown) => void,
): Promise<RestartingHost> {
  let current = await startHeadlessHost(options);
  let waiting: ((host: HeadlessHost) => void)[] = [];
  let restarting: Promise<void> | undefined;
  let closed = false;

  const watch = (host: HeadlessHost) =>
    host.runtime.events.on('backup.restoreStaged', () => {
      restarting ??= (async () => {
        const port = host.port;
        options.log?.('Restarting to put the chosen backup in place...');
        await host.close();
        if (closed) return;
        current = await startHeadlessHost({ ...options, port });
        watch(current);
        options.log?.('Backup restored; Switchboard is running again.');
        for (const resolve of waiting) resolve(current);
        waiting = [];
      })()
        .catch(onError)
        .finally(() => (restarting = undefined));
    });
  watch(current);

  return {
    get current() {
      return current;
    },
    nextRestart: () => new Promise((resolve) => waiting.push(resolve)),
    async close() {
      closed = true;
      await restarting;
      await current.close();
    },
  };
}
