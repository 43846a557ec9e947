import { useEffect, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { QuickReply } from '../../../../shared/contract';
import { foldText } from '../../../../shared/fold-text';
import { useApp, useEvent } from '../../state/app-context';
import './inbox.css';

const SHOWN = 8;

/** The quick replies whose name or text has the words typed after "/" (case and accents aside). */
export function filterQuickReplies(replies: readonly QuickReply[], typed: string): QuickReply[] {
  const words = foldText(typed).split(/\s+/).filter(Boolean);
  return replies.filter((r) => {
    const hay = foldText(`${r.title} ${r.text}`);
    return words.every((w) => hay.includes(w));
  });
}

/**
 * "/" at the start of the reply box lists the FAQ answers and the saved replies; typing filters them,
 * up/down move, Enter or a click puts the reply in the box to edit before sending, Esc closes the list.
 * Returns the list to draw above the box and a key handler that runs before the box's own.
 */
export function useQuickReplies(props: {
  workspaceId: string;
  text: string;
  setText: (text: string) => void;
}): { menu: ReactNode; onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => boolean } {
  const { client } = useApp();
  const [replies, setReplies] = useState<QuickReply[] | null>(null);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const typing = /^\/[^\n]*$/.test(props.text) ? props.text.slice(1) : null;
  const open = typing !== null && dismissed !== props.text;

  // Read when the list first opens, and again when FAQs change.
  const workspaceId = props.workspaceId;
  const missing = replies === null;
  useEffect(() => {
    if (!open || !missing) return;
    client
      .invoke('reply.quick', { workspaceId })
      .then(setReplies)
      .catch(() => setReplies([]));
  }, [client, workspaceId, open, missing]);
  useEvent('faq.changed', (event) => {
    if (event.workspaceId === props.workspaceId) setReplies(null);
  });

  const matches = useMemo(
    () => (typing === null || replies === null ? [] : filterQuickReplies(replies, typing).slice(0, SHOWN)),
    [replies, typing],
  );
  useEffect(() => setActive(0), [typing]);

  const pick = (reply: QuickReply) => {
    props.setText(reply.text);
    setDismissed(null);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open) return false;
    if (event.key === 'Escape') {
      setDismissed(props.text);
    } else if (event.key === 'ArrowDown' && matches.length > 0) {
      setActive((i) => (i + 1) % matches.length);
    } else if (event.key === 'ArrowUp' && matches.length > 0) {
      setActive((i) => (i - 1 + matches.length) % matches.length);
    } else if ((event.key === 'Enter' || event.key === 'Tab') && matches[active] !== undefined) {
      pick(matches[active]);
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  };

  const menu = !open ? null : (
    <QuickReplyMenu replies={replies} matches={matches} active={active} typing={typing} onPick={pick} />
  );
  return { menu, onKeyDown };
}

function QuickReplyMenu(props: {
  replies: QuickReply[] | null;
  matches: QuickReply[];
  active: number;
  typing: string | null;
  onPick: (reply: QuickReply) => void;
}) {
  const { replies, matches, active } = props;
  return (
    <div className="quick-replies" role="listbox" aria-label="Quick replies">
      {replies === null ? (
        <p className="quick-replies__note muted">Loading your replies…</p>
      ) : matches.length === 0 ? (
        <p className="quick-replies__note muted">
          {replies.length === 0
            ? 'No quick replies yet. Add saved replies on the FAQs screen.'
            : `No reply matches "${props.typing}". Keep typing to write your own.`}
        </p>
      ) : (
        matches.map((reply, i) => (
          <button
            key={`${reply.source}-${reply.id}`}
            type="button"
            role="option"
            aria-selected={i === active}
            className={`quick-replies__item${i === active ? ' quick-replies__item--active' : ''}`}
            // Keeps the focus in the reply box.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => props.onPick(reply)}
          >
            <span className="quick-replies__title">
              <span className={`tag quick-replies__source quick-replies__source--${reply.source}`}>
                {reply.source === 'faq' ? 'FAQ' : 'Saved'}
              </span>
              {reply.title}
            </span>
            <span className="quick-replies__text">{reply.text}</span>
          </button>
        ))
      )}
      <p className="quick-replies__hint muted">↑ ↓ to choose · Enter to use · Esc to close</p>
    </div>
  );
}
