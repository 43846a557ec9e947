import type { WorkspaceId } from '../../../shared/types';
import type { Clock, IdGenerator } from '../../ids';
import type { Logger } from '../../log/logger';
import type { Store } from '../../store/open-database';

export interface FaqServiceOptions {
  store: Store;
  logger: Logger;
  clock: Clock;
  newId: IdGenerator;
  /** Throws NOT_FOUND for a workspace that does not exist. */
  requireWorkspace: (workspaceId: WorkspaceId) => Promise<unknown>;
}
