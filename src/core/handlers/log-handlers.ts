import type { CoreHandlers } from '../../shared/contract';
import type { WorkspaceId } from '../../shared/types';
import { createLogPeople } from '../store/repositories/log-people';
import type { HandlerContext } from './context';
import { logEventsToCsv, logEventsToJsonLines, logExportFilename } from '../log/log-export';
import { createLogNames } from './log-names';

type LogHandlers = Pick<CoreHandlers, 'log.query' | 'log.export'>;

/** The zone the machine runs in: the system log's local times. */
const machineTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

export function createLogHandlers(ctx: HandlerContext): LogHandlers {
  const { app, clock } = ctx;
  const names = createLogNames(createLogPeople(app.store));
  return {
    async 'log.query'(filter) {
      const alsoMatching = await names.alsoMatching(filter.workspaceId, filter.search);
      const page = await app.events.query({ ...filter, alsoMatching });
      return { ...page, events: await names.name(filter.workspaceId, page.events) };
    },

    /**
     * A page of the filtered log, newest first, as the screen lists it. The first call (no cursor)
     * flushes the log, fixes the export's end at the newest event written so far and counts what the
     * export will hold; the cursor carries that end with the position, so events written while the
     * export runs stay out of it and the count stays true. Each page is one indexed query.
     */
    async 'log.export'({ format, cursor, pageSize, ...given }) {
      const filter = { ...given, alsoMatching: await names.alsoMatching(given.workspaceId, given.search) };
      const workspace =
        filter.workspaceId === null ? null : await app.workspaces.get(filter.workspaceId as WorkspaceId);
      let total: number | null = null;
      let position: { throughSeq: number; beforeSeq?: number };
      if (cursor === undefined) {
        await app.logger.flush();
        position = { throughSeq: await app.events.lastSeq() };
        total = await app.events.countMatching({ ...filter, ...position });
      } else {
        const [beforeSeq, throughSeq] = cursor.split('-').map(Number) as [number, number];
        position = { beforeSeq, throughSeq };
      }
      const page = await app.events.query({ ...filter, ...position, limit: pageSize });
      const events = await names.name(filter.workspaceId, page.events);
      const timeZone = workspace?.settings.timezone ?? machineTimeZone();
      return {
        text:
          format === 'csv'
            ? logEventsToCsv(events, { timeZone, header: cursor === undefined })
            : logEventsToJsonLines(events, timeZone),
        count: page.events.length,
        total,
        cursor: page.nextBeforeSeq === null ? null : `${page.nextBeforeSeq}-${position.throughSeq}`,
        filename: logExportFilename(workspace?.name ?? null, clock.now(), timeZone, format),
      };
    },
  };
}
