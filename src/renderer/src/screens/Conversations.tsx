import { useCallback, useEffect, useState } from 'react';
import { FormError } from '../components/Field';
import type { ConversationSummary, Label } from '../../../shared/contract';
import { EmptyState } from '../components/EmptyState';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/Layout';
import { navigate, useRoute } from '../router';
import { useApp, useWorkspace } from '../state/app-context';
import { NotificationsHint } from './NotificationsSettings';
import { ChatList, needingYou, type Filter } from './inbox/ChatList';
import { ContactCard } from './inbox/ContactCard';
import { InboxSearchBox, InboxSearchResults } from './inbox/InboxSearch';
import { useLabels } from './inbox/labels';
import { Thread } from './inbox/thread/Thread';
import { useChatRefresh } from './inbox/use-chat-refresh';
import { useLoader } from './use-loader';

/** Enough recent chats that the ones waiting long for a person are still among them. */
const LIST_LIMIT = 200;

/** The workspace's chats, read again on live events, a timer and a reconnect. */
function useChats(labelFilter: string | null, onFirst: (chatId: string) => void) {
  const { client } = useApp();
  const workspace = useWorkspace();
  const read = useCallback(async () => {
    const list = await client.invoke('conversation.list', {
      workspaceId: workspace.id,
      limit: LIST_LIMIT,
      ...(labelFilter !== null && { labelId: labelFilter }),
    });
    if (list.length > 0) onFirst(list[0]!.chatId);
    return list;
  }, [client, workspace.id, labelFilter, onFirst]);
  const { value: chats, error, load } = useLoader(read);
  useChatRefresh(load, (event) => event.workspaceId === workspace.id);
  return { chats, error };
}

/** The chat on screen and the message a search result opens at, following the address. */
function useSelection() {
  const workspace = useWorkspace();
  const route = useRoute();
  const routeChat = route.name === 'conversations' ? route.chatId : undefined;
  const routeMessage = route.name === 'conversations' ? route.messageId : undefined;
  const [selected, setSelected] = useState<string | null>(routeChat ?? null);
  const [focus, setFocus] = useState<string | null>(routeMessage ?? null);
  // A chat's address (a notification, the back button): show that chat.
  useEffect(() => {
    if (routeChat !== undefined) setSelected(routeChat);
    if (routeMessage !== undefined) setFocus(routeMessage);
  }, [routeChat, routeMessage]);
  const select = (chatId: string | null) => {
    setSelected(chatId);
    navigate(
      chatId === null
        ? { name: 'conversations' }
        : { name: 'conversations', chatId, workspaceId: workspace.id },
    );
  };
  // On a wide screen the newest chat opens at once; on a phone the list comes first.
  const openFirst = useCallback((chatId: string) => {
    setSelected((current) =>
      current === null && window.matchMedia('(min-width: 761px)').matches ? chatId : current,
    );
  }, []);
  const needsYou = route.name === 'conversations' && route.needsYou === true;
  return { selected, select, focus, setFocus, openFirst, needsYou };
}

/** Chats on the left, the open one on the right (one after the other at phone width). */
export function Conversations() {
  const selection = useSelection();
  const [filter, setFilter] = useState<Filter>(selection.needsYou ? 'needs-you' : 'all');
  // The inbox: the search box, the label filter, the contact card.
  const [query, setQuery] = useState('');
  const [labelFilter, setLabelFilter] = useState<string | null>(null);
  const { chats, error } = useChats(labelFilter, selection.openFirst);
  const [cardOpen, setCardOpen] = useState(false);
  const workspace = useWorkspace();
  const labels = useLabels(workspace.id);

  return (
    <>
      <PageHeader
        title="Conversations"
        subtitle="Every chat with your customers: what they asked, what the bot answered, and where you are needed."
      />
      <NotificationsHint />
      <InboxSearchBox query={query} onQuery={setQuery} />
      <FormError error={error} />
      {query.trim() !== '' ? (
        <InboxSearchResults
          query={query}
          onOpen={(chatId, messageId) => {
            setQuery('');
            selection.setFocus(messageId ?? null);
            selection.select(chatId);
          }}
        />
      ) : chats === null ? (
        <div className="card card--skeleton" />
      ) : chats.length === 0 && labelFilter === null ? (
        <NoChats />
      ) : (
        <Inbox
          chats={chats}
          selection={selection}
          labels={labels}
          cardOpen={cardOpen}
          onCardOpen={setCardOpen}
          filter={filter}
          onFilter={setFilter}
          labelFilter={labelFilter}
          onLabelFilter={setLabelFilter}
        />
      )}
    </>
  );
}

function NoChats() {
  return (
    <EmptyState icon="chat" title="No conversations yet">
      <p className="muted">
        When customers write to your WhatsApp number, their chats and the bot&rsquo;s answers show here.
      </p>
    </EmptyState>
  );
}

/** The list, the open thread and (when asked for) the contact card beside it. */
function Inbox(props: {
  chats: ConversationSummary[];
  selection: ReturnType<typeof useSelection>;
  labels: Label[] | null;
  cardOpen: boolean;
  onCardOpen: (open: boolean) => void;
  filter: Filter;
  onFilter: (filter: Filter) => void;
  labelFilter: string | null;
  onLabelFilter: (labelId: string | null) => void;
}) {
  const workspace = useWorkspace();
  const { chats, selection, labels, cardOpen } = props;
  const chat = chats.find((c) => c.chatId === selection.selected) ?? null;
  const waiting = needingYou(chats);
  return (
    <div
      className={`conversations${chat !== null ? ' conversations--thread' : ''}${chat !== null && cardOpen ? ' conversations--card' : ''}`}
    >
      <ChatList
        chats={props.filter === 'needs-you' ? waiting : chats}
        waitingCount={waiting.length}
        filter={props.filter}
        onFilter={props.onFilter}
        selected={selection.selected}
        onSelect={selection.select}
        labels={labels}
        labelFilter={props.labelFilter}
        onLabelFilter={props.onLabelFilter}
      />
      {chat !== null ? (
        <Thread
          key={chat.chatId}
          chat={chat}
          onBack={() => selection.select(null)}
          focusMessageId={selection.focus}
          onContact={() => props.onCardOpen(!cardOpen)}
        />
      ) : (
        <section className="thread thread--empty card">
          <Icon name="message" size={28} />
          <p className="muted">Pick a chat to read it and reply.</p>
        </section>
      )}
      {chat !== null && cardOpen && (
        <ContactCard
          workspaceId={workspace.id}
          chatId={chat.chatId}
          onClose={() => props.onCardOpen(false)}
        />
      )}
    </div>
  );
}
