import type { CoreHandlers } from '../../shared/contract';
import { createHomeStats } from '../stats/home-stats';
import type { HandlerContext } from './context';

type StatsHandlers = Pick<CoreHandlers, 'stats.home'>;

/** The home screen's figures, counted in the workspace's own time zone. */
export function createStatsHandlers(ctx: HandlerContext): StatsHandlers {
  const { app, clock } = ctx;
  const home = createHomeStats({ store: app.store, clock });
  return {
    async 'stats.home'({ workspaceId, days }) {
      const workspace = await app.workspaces.get(workspaceId);
      return home.home(workspaceId, workspace.settings.timezone, days);
    },
  };
}
