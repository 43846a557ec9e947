import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type {
  BotReplyKind,
  ChatWindow,
  ConversationSummary,
  ConversationThread,
} from '../../../shared/contract';
import { customerName, describeWaiting, waitedFor } from '../../../shared/escalation-words';
import { errorMessage } from '../client/client';
import { Icon } from '../components/Icon';
import { KIND_WORD, MessageMedia } from '../components/MessageMedia';
import { PageHeader } from '../components/Layout';
import { formatPhone } from '../format';
import { navigate, useRoute } from '../router';
import { useApp, useEvent, useNow, useOnReconnect, useWorkspace } from '../state/app-context';
import { NotificationsHint } from './NotificationsSettings';
import { TemplateComposer } from './TemplateComposer';
import { ContactCard } from './inbox/ContactCard';
import { DeliveryStatus } from './inbox/DeliveryStatus';
import { InboxSearchBox, InboxSearchResults } from './inbox/InboxSearch';
import { LabelChips, LabelFilter, LabelPicker, useLabels } from './inbox/labels';
import { useQuickReplies } from './inbox/QuickReplies';
import { useAttachment } from './inbox/Attachment';
import type { Label } from '../../../shared/contract';
import { LearnFromChat } from './LearnFromChat';

/** A safety net under the live events: the list and the open thread are read again this often. */
const REFRESH_MS = 10_000;
const PAUSE_MINUTES = 30;
/** Enough recent chats that the ones waiting long for a person are still among them. */
const LIST_LIMIT = 200;
const MAX_REPLY = 4096;

const KIND_LABEL: Record<BotReplyKind, string> = {
  faq: 'FAQ',
  ai: 'AI',
  greeting: 'Greeting',
  away: 'Away message',
  handoff: 'Hand-off',
};

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** Today: 14:05; another day: 3 Nov. */
function shortTime(ts: number, now = Date.now()): string {
  return new Date(ts).toDateString() === new Date(now).toDateString() ? clock.format(ts) : day.format(ts);
}

const chatName = customerName;

type Filter = 'all' | 'needs-you';

/** The "Needs you" list: chats a person owes an answer, the longest waiting first. */
export function needingYou(chats: readonly ConversationSummary[]): ConversationSummary[] {
  return chats
    .filter((c) => c.waitingSince !== null)
    .sort((a, b) => a.waitingSince! - b.waitingSince! || a.chatId.localeCompare(b.chatId));
}

function initials(name: string): string {
  const words = name
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return '#';
  return ((words[0]?.[0] ?? '') + (words[1]?.[0] ?? '')).toUpperCase();
}

/** Chats on the left, the open one on the right (one after the other at phone width). */
export function Conversations() {
  const { client } = useApp();
  const workspace = useWorkspace();
  const route = useRoute();
  const routeChat = route.name === 'conversations' ? route.chatId : undefined;
  const routeMessage = route.name === 'conversations' ? route.messageId : undefined;
  const [chats, setChats] = useState<ConversationSummary[] | null>(null);
  const [selected, setSelected] = useState<string | null>(routeChat ?? null);
  const [filter, setFilter] = useState<Filter>(
    route.name === 'conversations' && route.needsYou === true ? 'needs-you' : 'all',
  );
  const [error, setError] = useState<string | null>(null);
  // The inbox: the search box, the label filter, the message a search result opens at, the contact card.
  const [query, setQuery] = useState('');
  const [labelFilter, setLabelFilter] = useState<string | null>(null);
  const [focus, setFocus] = useState<string | null>(routeMessage ?? null);
  const [cardOpen, setCardOpen] = useState(false);
  const labels = useLabels(workspace.id);

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

  const loadChats = useCallback(async () => {
    try {
      const list = await client.invoke('conversation.list', {
        workspaceId: workspace.id,
        limit: LIST_LIMIT,
        ...(labelFilter !== null && { labelId: labelFilter }),
      });
      setChats(list);
      setError(null);
      // On a wide screen the newest chat opens at once; on a phone the list comes first.
      setSelected((current) =>
        current === null && list.length > 0 && window.matchMedia('(min-width: 761px)').matches
          ? list[0]!.chatId
          : current,
      );
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }, [client, workspace.id, labelFilter]);

  useEffect(() => {
    void loadChats();
    const timer = setInterval(() => void loadChats(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [loadChats]);
  useOnReconnect(() => void loadChats());
  useEvent('conversation.changed', (event) => {
    if (event.workspaceId === workspace.id) void loadChats();
  });

  const chat = chats?.find((c) => c.chatId === selected) ?? null;
  const waiting = chats === null ? [] : needingYou(chats);

  return (
    <>
      <PageHeader
        title="Conversations"
        subtitle="Every chat with your customers: what they asked, what the bot answered, and where you are needed."
      />
      <NotificationsHint />
      <InboxSearchBox query={query} onQuery={setQuery} />
      {error !== null && (
        <p className="notice notice--problem" role="alert">
          {error}
        </p>
      )}
      {query.trim() !== '' ? (
        <InboxSearchResults
          query={query}
          onOpen={(chatId, messageId) => {
            setQuery('');
            setFocus(messageId ?? null);
            select(chatId);
          }}
        />
      ) : chats === null ? (
        <div className="card card--skeleton" />
      ) : chats.length === 0 && labelFilter === null ? (
        <div className="empty card">
          <span className="empty__icon" aria-hidden="true">
            <Icon name="chat" size={28} />
          </span>
          <p className="empty__title">No conversations yet</p>
          <p className="muted">
            When customers write to your WhatsApp number, their chats and the bot&rsquo;s answers show here.
          </p>
        </div>
      ) : (
        <div
          className={`conversations${chat !== null ? ' conversations--thread' : ''}${chat !== null && cardOpen ? ' conversations--card' : ''}`}
        >
          <ChatList
            chats={filter === 'needs-you' ? waiting : chats}
            waitingCount={waiting.length}
            filter={filter}
            onFilter={setFilter}
            selected={selected}
            onSelect={select}
            labels={labels}
            labelFilter={labelFilter}
            onLabelFilter={setLabelFilter}
          />
          {chat !== null ? (
            <Thread
              key={chat.chatId}
              chat={chat}
              onBack={() => select(null)}
              focusMessageId={focus}
              onContact={() => setCardOpen((open) => !open)}
            />
          ) : (
            <section className="thread thread--empty card">
              <Icon name="message" size={28} />
              <p className="muted">Pick a chat to read it and reply.</p>
            </section>
          )}
          {chat !== null && cardOpen && (
            <ContactCard workspaceId={workspace.id} chatId={chat.chatId} onClose={() => setCardOpen(false)} />
          )}
        </div>
      )}
    </>
  );
}

function ChatList(props: {
  chats: ConversationSummary[];
  waitingCount: number;
  filter: Filter;
  onFilter: (filter: Filter) => void;
  selected: string | null;
  onSelect: (chatId: string) => void;
  labels: Label[] | null;
  labelFilter: string | null;
  onLabelFilter: (labelId: string | null) => void;
}) {
  // "waiting 12 min" moves on while the screen is open.
  const now = useNow(15_000);
  const needsYouView = props.filter === 'needs-you';
  return (
    <nav className="chat-list card card--flush" aria-label="Chats">
      <div className="chat-filter" role="group" aria-label="Show chats">
        <button
          type="button"
          className="chat-filter__button"
          aria-pressed={!needsYouView}
          onClick={() => props.onFilter('all')}
        >
          All chats
        </button>
        <button
          type="button"
          className="chat-filter__button chat-filter__button--needs-you"
          aria-pressed={needsYouView}
          onClick={() => props.onFilter('needs-you')}
        >
          Needs you
          {props.waitingCount > 0 && <span className="chat-filter__count">{props.waitingCount}</span>}
        </button>
      </div>
      <LabelFilter labels={props.labels} value={props.labelFilter} onChange={props.onLabelFilter} />
      {props.labelFilter !== null && props.chats.length === 0 && (
        <p className="chat-list__empty muted">
          No chat has this label yet. Add labels from a chat&rsquo;s Labels button.
        </p>
      )}
      {needsYouView && props.chats.length === 0 && (
        <p className="chat-list__empty muted">
          Nobody is waiting for you right now. Chats the bot hands to you show here, the longest waiting
          first.
        </p>
      )}
      <ul className="chat-list__items">
        {props.chats.map((chat) => {
          const name = chatName(chat);
          const active = chat.chatId === props.selected;
          const who =
            chat.lastMessage.author === 'bot' ? 'Bot: ' : chat.lastMessage.author === 'owner' ? 'You: ' : '';
          const paused = chat.botPausedUntil !== null && chat.botPausedUntil > now;
          const waitingFor = chat.waitingSince === null ? null : waitedFor(chat.waitingSince, now);
          const withYou = chat.handedOff && waitingFor === null;
          return (
            <li key={chat.chatId}>
              <button
                type="button"
                className={`chat-item${active ? ' chat-item--active' : ''}${waitingFor !== null ? ' chat-item--needs-you' : ''}${chat.unread > 0 ? ' chat-item--unread' : ''}`}
                aria-current={active ? 'true' : undefined}
                aria-label={name}
                data-chat-id={chat.chatId}
                data-unread={chat.unread}
                onClick={() => props.onSelect(chat.chatId)}
              >
                <span className="avatar" aria-hidden="true">
                  {initials(name)}
                </span>
                <span className="chat-item__body">
                  <span className="chat-item__top">
                    <span className="chat-item__name">{name}</span>
                    <span className="chat-item__time">{shortTime(chat.lastMessage.at, now)}</span>
                  </span>
                  <span className="chat-item__bottom">
                    <span className="chat-item__preview">
                      {who}
                      {chat.lastMessage.text ??
                        (chat.lastMessage.media != null
                          ? KIND_WORD[chat.lastMessage.media]
                          : 'Media or unsupported message')}
                    </span>
                    {chat.unread > 0 && (
                      <span className="chat-item__unread" title={`${chat.unread} unread`}>
                        {chat.unread > 99 ? '99+' : chat.unread}
                      </span>
                    )}
                  </span>
                  {(waitingFor !== null || withYou || paused) && (
                    <span className="chat-item__badges">
                      {waitingFor !== null && (
                        <span className="tag tag--needs-you" data-waiting-since={chat.waitingSince}>
                          Needs you · waiting {waitingFor}
                        </span>
                      )}
                      {withYou && <span className="tag tag--with-you">With you</span>}
                      {paused && <span className="tag tag--paused">Bot paused</span>}
                    </span>
                  )}
                  <LabelChips labels={props.labels} ids={chat.labelIds} />
                  {needsYouView && chat.waitingReason !== null && (
                    <span className="chat-item__why">{capitalise(describeWaiting(chat.waitingReason))}</span>
                  )}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function Thread({
  chat,
  onBack,
  focusMessageId,
  onContact,
}: {
  chat: ConversationSummary;
  onBack: () => void;
  /** A search result opened the chat at this message: older pages load until it shows. */
  focusMessageId: string | null;
  onContact: () => void;
}) {
  const { client } = useApp();
  const workspace = useWorkspace();
  const now = useNow(30_000);
  const [thread, setThread] = useState<ConversationThread | null>(null);
  // On a Cloud number, whether the 24-hour window still lets the owner write freely.
  const [serviceWindow, setServiceWindow] = useState<ChatWindow | null>(null);
  const [olderLoading, setOlderLoading] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState<'send' | 'release' | 'pause' | 'takeOver' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const scroller = useRef<HTMLOListElement>(null);
  const stickToBottom = useRef(true);
  const name = chatName(chat);
  const ref = { workspaceId: workspace.id, chatId: chat.chatId };
  const quick = useQuickReplies({ workspaceId: workspace.id, text, setText });
  const attachment = useAttachment({ workspaceId: workspace.id, chatId: chat.chatId });
  const paused = chat.botPausedUntil !== null && chat.botPausedUntil > now;

  const load = useCallback(async () => {
    try {
      const latest = await client.invoke('conversation.thread', {
        workspaceId: workspace.id,
        chatId: chat.chatId,
      });
      // Keep older pages the owner already loaded above the newest ones.
      setThread((current) => {
        if (current === null || latest.messages.length === 0) return latest;
        const first = latest.messages[0]!.at;
        const older = current.messages.filter((m) => m.at < first);
        return older.length === 0
          ? latest
          : { ...latest, messages: [...older, ...latest.messages], nextBefore: current.nextBefore };
      });
    } catch (failure) {
      setError(errorMessage(failure));
    }
    setServiceWindow(
      await client
        .invoke('cloud.window', { workspaceId: workspace.id, chatId: chat.chatId })
        .catch(() => null),
    );
  }, [client, workspace.id, chat.chatId]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  useOnReconnect(() => void load());
  useEvent('conversation.changed', (event) => {
    if (event.workspaceId === workspace.id && event.chatId === chat.chatId) void load();
  });

  // Open and on screen: what the customer wrote is read, including messages arriving while it is open.
  const newestAt = thread?.messages.at(-1)?.at ?? null;
  const unread = chat.unread;
  useEffect(() => {
    if (newestAt === null || unread === 0) return;
    const mark = () => {
      if (document.visibilityState !== 'visible') return;
      void client
        .invoke('conversation.markRead', { workspaceId: workspace.id, chatId: chat.chatId, upTo: newestAt })
        .catch(() => undefined);
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [client, workspace.id, chat.chatId, newestAt, unread]);

  // New messages scroll into view unless the owner scrolled up to read older ones.
  useEffect(() => {
    const box = scroller.current;
    if (box !== null && stickToBottom.current) box.scrollTop = box.scrollHeight;
  }, [thread]);

  const loadOlder = async () => {
    if (thread?.nextBefore == null) return;
    setOlderLoading(true);
    try {
      const page = await client.invoke('conversation.thread', { ...ref, before: thread.nextBefore });
      stickToBottom.current = false;
      setThread({ ...thread, messages: [...page.messages, ...thread.messages], nextBefore: page.nextBefore });
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setOlderLoading(false);
    }
  };

  // A search result: older pages load until its message shows, then it is scrolled into view.
  const focusPages = useRef(0);
  useEffect(() => {
    if (focusMessageId === null || thread === null) return;
    const found = scroller.current?.querySelector<HTMLElement>(
      `[data-message-id="${CSS.escape(focusMessageId)}"]`,
    );
    if (found != null) {
      stickToBottom.current = false;
      found.scrollIntoView({ block: 'center' });
    } else if (thread.nextBefore != null && !olderLoading && focusPages.current < 50) {
      focusPages.current += 1;
      void loadOlder();
    }
  }, [thread, focusMessageId]);

  const act = async (kind: 'send' | 'release' | 'pause' | 'takeOver', action: () => Promise<unknown>) => {
    setBusy(kind);
    try {
      await action();
      setError(null);
      return true;
    } catch (failure) {
      setError(errorMessage(failure));
      return false;
    } finally {
      setBusy(null);
    }
  };

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    const reply = text.trim();
    if ((reply === '' && !attachment.active) || busy === 'send') return;
    stickToBottom.current = true;
    if (attachment.active) {
      // The text is the file's caption; a voice note takes none, so the text follows it on its own.
      const withFile = attachment.takesCaption;
      setBusy('send');
      const fileSent = await attachment.send(withFile ? reply : '');
      setBusy(null);
      if (!fileSent) return;
      if (withFile || reply === '') {
        setText('');
        void load();
        return;
      }
    }
    const sent = await act('send', () => client.invoke('conversation.reply', { ...ref, text: reply }));
    if (sent) {
      setText('');
      void load();
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (quick.onKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <section
      className={`thread card card--flush${attachment.dragging ? ' thread--dragging' : ''}`}
      aria-label={`Conversation with ${name}`}
      {...attachment.dropProps}
    >
      <header className="thread__head">
        <button
          className="button button--ghost button--small thread__back"
          type="button"
          onClick={onBack}
          aria-label="Back to chats"
        >
          <span className="thread__back-arrow" aria-hidden="true">
            <Icon name="chevron" size={18} />
          </span>
          Chats
        </button>
        <span className="avatar avatar--large" aria-hidden="true">
          {initials(name)}
        </span>
        <div className="thread__who">
          <h2 className="thread__name">{name}</h2>
          <p className="thread__meta">
            {chat.contactPhone !== null && chat.contactName !== null && (
              <span className="thread__meta-part">{formatPhone(chat.contactPhone)} ·</span>
            )}
            <span className="thread__meta-part">via {formatPhone(chat.businessNumber)}</span>
          </p>
        </div>
        <div className="thread__actions">
          <LabelPicker workspaceId={workspace.id} chatId={chat.chatId} labelIds={chat.labelIds} />
          <button className="button button--ghost button--small" type="button" onClick={onContact}>
            Contact
          </button>
          {chat.handedOff || paused || chat.waitingSince !== null ? (
            <button
              className="button button--primary button--small"
              type="button"
              disabled={busy !== null}
              onClick={() => void act('release', () => client.invoke('conversation.release', ref))}
              title="The bot answers this customer's next questions again"
            >
              Give back to the bot
            </button>
          ) : (
            <button
              className="button button--secondary button--small"
              type="button"
              disabled={busy !== null}
              onClick={() => void act('takeOver', () => client.invoke('conversation.takeOver', ref))}
              title="You answer this chat; the bot keeps out until you give it back"
            >
              Take over
            </button>
          )}
          {!chat.handedOff && !paused && (
            <button
              className="button button--ghost button--small"
              type="button"
              disabled={busy !== null}
              onClick={() =>
                void act('pause', () =>
                  client.invoke('conversation.pause', { ...ref, minutes: PAUSE_MINUTES }),
                )
              }
              title={`For ${PAUSE_MINUTES} minutes the bot does not answer ${name}; you do. Then it answers again.`}
            >
              Pause the bot for {PAUSE_MINUTES} minutes (until {clock.format(now + PAUSE_MINUTES * 60_000)}) —
              you answer this chat
            </button>
          )}
        </div>
      </header>
      {(chat.handedOff || paused || chat.waitingSince !== null) && (
        <div className="thread__state">
          {chat.waitingSince !== null && (
            <p className="thread__state-line thread__state-line--needs-you">
              <span className="tag tag--needs-you">Needs you</span> Waiting{' '}
              {waitedFor(chat.waitingSince, now)} for your answer
              {chat.waitingReason !== null && chat.waitingReason !== '' && (
                <span className="muted"> ({describeWaiting(chat.waitingReason)})</span>
              )}
              . Reply here or from your phone, or give the chat back to the bot.
            </p>
          )}
          {chat.handedOff && chat.waitingSince === null && (
            <p className="thread__state-line">
              <span className="tag tag--with-you">With you</span> The bot handed this chat to you
              {chat.handoffReason !== null && chat.handoffReason !== '' && (
                <span className="muted"> ({describeWaiting(chat.handoffReason)})</span>
              )}
              . It stays quiet here until you release it.
            </p>
          )}
          {paused && (
            <p className="thread__state-line">
              <span className="tag tag--paused">Bot paused</span> The bot keeps out of this chat until{' '}
              {clock.format(chat.botPausedUntil!)}.
            </p>
          )}
        </div>
      )}
      <ol
        className="thread__messages"
        ref={scroller}
        aria-label="Messages"
        onScroll={(e) => {
          const box = e.currentTarget;
          stickToBottom.current = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
        }}
      >
        {thread?.nextBefore != null && (
          <li className="thread__older">
            <button
              className="button button--ghost button--small"
              type="button"
              disabled={olderLoading}
              onClick={() => void loadOlder()}
            >
              {olderLoading ? 'Loading…' : 'Show older messages'}
            </button>
          </li>
        )}
        {thread === null ? (
          <li className="thread__loading muted">Loading messages…</li>
        ) : (
          thread.messages.map((m) => (
            <li
              key={m.id}
              className={`bubble bubble--${m.author}${m.status === 'failed' ? ' bubble--failed' : ''}${m.id === focusMessageId ? ' bubble--found' : ''}`}
              data-author={m.author}
              data-message-id={m.id}
            >
              {m.author !== 'contact' && (
                <span className="bubble__label">
                  {m.author === 'owner' ? 'You' : m.kind !== null ? `Bot · ${KIND_LABEL[m.kind]}` : 'Bot'}
                </span>
              )}
              {m.media !== undefined && (
                <MessageMedia
                  workspaceId={workspace.id}
                  messageId={m.id}
                  media={m.media}
                  fromShop={m.author !== 'contact'}
                />
              )}
              {(m.text !== null || m.media === undefined) && (
                <span className="bubble__text">
                  {m.text ?? <em className="muted">Media or unsupported message</em>}
                </span>
              )}
              <span className="bubble__time">
                {shortTime(m.at, now)}
                {m.status !== 'failed' && (
                  <DeliveryStatus message={m} workspaceId={workspace.id} chatId={chat.chatId} />
                )}
              </span>
              {m.status === 'failed' && (
                <DeliveryStatus message={m} workspaceId={workspace.id} chatId={chat.chatId} />
              )}
            </li>
          ))
        )}
      </ol>
      <LearnFromChat workspaceId={workspace.id} chatId={chat.chatId} lastMessageAt={newestAt} />
      {error !== null && (
        <p className="notice notice--problem thread__error" role="alert">
          {error}
        </p>
      )}
      {serviceWindow?.cloud === true && !serviceWindow.open ? (
        <TemplateComposer
          workspaceId={workspace.id}
          chatId={chat.chatId}
          window={serviceWindow}
          onSent={() => void load()}
        />
      ) : (
        <div className="composer-wrap">
          {quick.menu}
          {attachment.panel}
          <form className="composer" aria-label="Reply" onSubmit={(e) => void send(e)}>
            {attachment.button}
            <textarea
              className="input composer__input"
              aria-label="Your reply"
              placeholder={
                attachment.active && attachment.takesCaption
                  ? 'Add a caption… (Enter sends the file)'
                  : 'Write a reply… (/ for quick replies, Enter sends)'
              }
              title="Enter sends; Shift+Enter starts a new line"
              rows={2}
              maxLength={MAX_REPLY}
              value={text}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={onKeyDown}
              onPaste={attachment.onPaste}
            />
            <button
              className="button button--primary"
              type="submit"
              disabled={(text.trim() === '' && !attachment.active) || busy === 'send'}
            >
              {busy === 'send' ? 'Sending…' : 'Send'}
            </button>
          </form>
        </div>
      )}
    </section>
  );
}
