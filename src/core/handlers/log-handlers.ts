import type { CoreHandlers } from '../../shared/contract';
import type { HandlerContext } from './context';

type LogHandlers = Pick<CoreHandlers, 'log.query'>;

export function createLogHandlers(ctx: HandlerContext): LogHandlers {
  return {
    'log.query': (filter) => ctx.app.events.query(filter),
  };
}
