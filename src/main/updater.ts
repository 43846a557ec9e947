/** The slice of electron-updater's autoUpdater used at start. */
export interface UpdaterLike {
  checkForUpdatesAndNotify(): Promise<unknown>;
}

export type UpdateCheck = 'skipped' | 'checked' | 'failed';

/**
 * Checks for an update once at start, in an installed (packaged) app only: a development build has no
 * update feed and electron-updater would throw. A failed check (offline shop PC) is logged, never fatal.
 */
export async function checkForUpdatesOnStart(deps: {
  isPackaged: boolean;
  updater: () => UpdaterLike;
  log: (message: string, error?: unknown) => void;
}): Promise<UpdateCheck> {
  if (!deps.isPackaged) {
    deps.log('update check skipped: not an installed build');
    return 'skipped';
  }
  try {
    await deps.updater().checkForUpdatesAndNotify();
    return 'checked';
  } catch (error) {
    deps.log('update check failed', error);
    return 'failed';
  }
}
