import { useCallback, useEffect, useState } from 'react';
import type { LearnedWeek } from '../../../shared/contract';
import { useApp, useEvent, useWorkspace } from '../state/app-context';
import './learn.css';

const SHOWN = 5;

/** Home: what the bot learned from the owner in the last 7 days (from chats and Unanswered). */
export function LearnedThisWeek() {
  const { client } = useApp();
  const workspace = useWorkspace();
  const [week, setWeek] = useState<LearnedWeek | null>(null);
  const load = useCallback(async () => {
    setWeek(await client.invoke('learn.week', { workspaceId: workspace.id }).catch(() => null));
  }, [client, workspace.id]);
  useEffect(() => void load(), [load]);
  useEvent('faq.changed', (e) => {
    if (e.workspaceId === workspace.id) void load();
  });
  if (week === null || week.items.length === 0) return null;
  const parts = [
    week.phrasings > 0 ? `${week.phrasings} new way${week.phrasings === 1 ? '' : 's'} of asking` : null,
    week.faqs > 0 ? `${week.faqs} new FAQ${week.faqs === 1 ? '' : 's'}` : null,
  ].filter((p) => p !== null);
  return (
    <section className="card learned-week" aria-labelledby="learned-week-title">
      <h2 className="card__title card__title--small" id="learned-week-title">
        What the bot learned this week
      </h2>
      <p className="muted">
        {parts.join(' and ')}, from questions you answered yourself. Customers who ask these now get an answer
        at once.
      </p>
      <ul className="learned-week__list">
        {week.items.slice(0, SHOWN).map((item, i) => (
          <li key={`${item.at}-${i}`} className="learned-week__item">
            {item.kind === 'faq' ? (
              <>
                New FAQ: <strong>{item.faqQuestion ?? item.text}</strong>
              </>
            ) : (
              <>
                “{item.text}” → <strong>{item.faqQuestion ?? 'an FAQ removed since'}</strong>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
