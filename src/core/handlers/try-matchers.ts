import type { WorkspaceId } from '../../shared/types';
import { createFaqMatcher, type FaqMatcher } from '../bot/faq/faq-matcher';
import type { HandlerContext } from './context';

export interface CachedMatcher {
  matcher: FaqMatcher;
  questions: Map<string, string>;
}

const perContext = new WeakMap<HandlerContext, (workspaceId: WorkspaceId) => Promise<CachedMatcher>>();

/**
 * The matcher the owner's screens ask ("try a message", the closest FAQ to a chat's question): one
 * per workspace, shared by the handlers of one runtime, rebuilt after its FAQs or settings change.
 */
export function tryMatchers(ctx: HandlerContext): (workspaceId: WorkspaceId) => Promise<CachedMatcher> {
  const known = perContext.get(ctx);
  if (known !== undefined) return known;
  const { faqs, hub, app } = ctx;
  const matchers = new Map<WorkspaceId, Promise<CachedMatcher>>();
  const forget = ({ workspaceId }: { workspaceId: WorkspaceId }) => void matchers.delete(workspaceId);
  hub.on('faq.changed', forget);
  hub.on('workspace.changed', forget);

  function matcherOf(workspaceId: WorkspaceId): Promise<CachedMatcher> {
    let entry = matchers.get(workspaceId);
    if (entry === undefined) {
      entry = (async () => {
        const workspace = await app.workspaces.get(workspaceId);
        const enabled = await faqs.list(workspaceId, { includeDisabled: false });
        const { threshold, synonyms } = workspace.settings.faq;
        const matcher = createFaqMatcher({ threshold, synonyms, logger: app.logger });
        for (const faq of enabled) matcher.upsert(faq);
        return { matcher, questions: new Map(enabled.map((f) => [f.id, f.question])) };
      })();
      const built = entry;
      matchers.set(workspaceId, built);
      built.catch(() => {
        if (matchers.get(workspaceId) === built) matchers.delete(workspaceId);
      });
    }
    return entry;
  }
  perContext.set(ctx, matcherOf);
  return matcherOf;
}
