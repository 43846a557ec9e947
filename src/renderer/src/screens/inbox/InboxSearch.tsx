import { useEffect, useState, type ReactNode } from 'react';
import { FormError } from '../../components/Field';
import type { InboxSearchResult, SnippetPart } from '../../../../shared/contract';
import { customerName } from '../../../../shared/escalation-words';
import { errorMessage } from '../../client/client';
import { SearchBox } from '../../components/SearchBox';
import { formatPhone } from '../../format';
import { useApp, useWorkspace } from '../../state/app-context';
import './inbox.css';

const DEBOUNCE_MS = 200;
const when = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** The search box over the Conversations screen: chats by name or number, messages by their words. */
export function InboxSearchBox(props: { query: string; onQuery: (query: string) => void }) {
  return (
    <SearchBox
      icon="search"
      className="inbox-search__box"
      type="search"
      placeholder="Search names, numbers and messages"
      aria-label="Search conversations"
      value={props.query}
      onChange={(e) => props.onQuery(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onQuery('');
      }}
    />
  );
}

/** The search, a moment after the owner stops typing; a newer query wins over an older answer. */
function useInboxSearch(query: string, limit: number) {
  const { client } = useApp();
  const workspace = useWorkspace();
  const [result, setResult] = useState<InboxSearchResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      client
        .invoke('inbox.search', { workspaceId: workspace.id, query, limit })
        .then((found) => {
          if (!current) return;
          setResult(found);
          setError(null);
        })
        .catch((failure: unknown) => {
          if (current) setError(errorMessage(failure));
        });
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, workspace.id, query, limit]);
  return { result, error };
}

type OnOpen = (chatId: string, messageId?: string) => void;

/** What the search found; picking a message opens its chat at that message. */
export function InboxSearchResults(props: {
  query: string;
  /** At most this many chats and this many messages (50 unless said). */
  limit?: number;
  onOpen: OnOpen;
}) {
  const query = props.query.trim();
  const { result, error } = useInboxSearch(query, props.limit ?? 50);
  const stale = result?.query !== query;
  return (
    <section className="inbox-search card card--flush" aria-label="Search results" aria-busy={stale}>
      <FormError error={error} />
      {result === null ? (
        <p className="inbox-search__note muted">Searching…</p>
      ) : result.chats.length === 0 && result.messages.length === 0 ? (
        <p className="inbox-search__note muted">
          Nothing matches &ldquo;{result.query}&rdquo;. Try fewer letters, or the customer&rsquo;s number.
        </p>
      ) : (
        <>
          <HitList heading="Chats" hits={result.chats.map(chatHit)} onOpen={props.onOpen} />
          <HitList heading="Messages" hits={result.messages.map(messageHit)} onOpen={props.onOpen} />
        </>
      )}
    </section>
  );
}

/** A result: the chat it opens, at the found message when there is one, and what the button shows. */
interface Hit {
  chatId: string;
  messageId?: string;
  content: ReactNode;
}

/** One kind of result under its heading, each a button that opens its chat; nothing when there are none. */
function HitList({ heading, hits, onOpen }: { heading: string; hits: Hit[]; onOpen: OnOpen }) {
  if (hits.length === 0) return null;
  return (
    <>
      <h3 className="inbox-search__heading">{heading}</h3>
      <ul className="inbox-search__list">
        {hits.map((hit) => (
          <li key={hit.messageId ?? hit.chatId}>
            <button
              type="button"
              className="inbox-search__hit"
              {...(hit.messageId === undefined
                ? { 'data-chat-id': hit.chatId }
                : { 'data-message-id': hit.messageId })}
              onClick={() => onOpen(hit.chatId, hit.messageId)}
            >
              {hit.content}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

/** A chat found by the customer's name or number. */
function chatHit(chat: InboxSearchResult['chats'][number]): Hit {
  return {
    chatId: chat.chatId,
    content: (
      <>
        <span className="inbox-search__who">{customerName(chat)}</span>
        <span className="inbox-search__meta">
          {chat.contactPhone !== null && chat.contactName !== null
            ? `${formatPhone(chat.contactPhone)} · `
            : ''}
          {when.format(chat.lastAt)}
        </span>
      </>
    ),
  };
}

/** A message found by its words, the words marked. */
function messageHit(hit: InboxSearchResult['messages'][number]): Hit {
  return {
    chatId: hit.chatId,
    messageId: hit.messageId,
    content: (
      <>
        <span className="inbox-search__top">
          <span className="inbox-search__who">{customerName(hit)}</span>
          <span className="inbox-search__meta">{when.format(hit.at)}</span>
        </span>
        <span className="inbox-search__snippet">
          {hit.author === 'bot' ? 'Bot: ' : hit.author === 'owner' ? 'You: ' : ''}
          <Snippet parts={hit.snippet} />
        </span>
      </>
    ),
  };
}

export function Snippet({ parts }: { parts: SnippetPart[] }) {
  return (
    <>
      {parts.map((part, i) =>
        part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
      )}
    </>
  );
}
