import type { ConversationSummary, Label } from '../../../../shared/contract';
import { describeWaiting, waitedFor } from '../../../../shared/escalation-words';
import { useNow } from '../../state/app-context';
import { capitalise, chatName, initials, previewOf, shortTime } from './chat-format';
import { LabelChips, LabelFilter } from './labels';

export type Filter = 'all' | 'needs-you';

/** The "Needs you" list: chats a person owes an answer, the longest waiting first. */
export function needingYou(chats: readonly ConversationSummary[]): ConversationSummary[] {
  return chats
    .filter((c) => c.waitingSince !== null)
    .sort((a, b) => a.waitingSince! - b.waitingSince! || a.chatId.localeCompare(b.chatId));
}

export function ChatList(props: {
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
      <FilterButtons filter={props.filter} onFilter={props.onFilter} waitingCount={props.waitingCount} />
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
        {props.chats.map((chat) => (
          <ChatItem
            key={chat.chatId}
            chat={chat}
            now={now}
            active={chat.chatId === props.selected}
            needsYouView={needsYouView}
            labels={props.labels}
            onSelect={props.onSelect}
          />
        ))}
      </ul>
    </nav>
  );
}

function FilterButtons(props: { filter: Filter; onFilter: (filter: Filter) => void; waitingCount: number }) {
  const needsYouView = props.filter === 'needs-you';
  return (
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
  );
}

function ChatItem(props: {
  chat: ConversationSummary;
  now: number;
  active: boolean;
  needsYouView: boolean;
  labels: Label[] | null;
  onSelect: (chatId: string) => void;
}) {
  const { chat, now, active } = props;
  const name = chatName(chat);
  const who =
    chat.lastMessage.author === 'bot' ? 'Bot: ' : chat.lastMessage.author === 'owner' ? 'You: ' : '';
  const waitingFor = chat.waitingSince === null ? null : waitedFor(chat.waitingSince, now);
  return (
    <li>
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
              {previewOf(chat.lastMessage)}
            </span>
            {chat.unread > 0 && (
              <span className="chat-item__unread" title={`${chat.unread} unread`}>
                {chat.unread > 99 ? '99+' : chat.unread}
              </span>
            )}
          </span>
          <ChatBadges chat={chat} now={now} waitingFor={waitingFor} />
          <LabelChips labels={props.labels} ids={chat.labelIds} />
          {props.needsYouView && chat.waitingReason !== null && (
            <span className="chat-item__why">{capitalise(describeWaiting(chat.waitingReason))}</span>
          )}
        </span>
      </button>
    </li>
  );
}

function ChatBadges(props: { chat: ConversationSummary; now: number; waitingFor: string | null }) {
  const { chat, waitingFor } = props;
  const paused = chat.botPausedUntil !== null && chat.botPausedUntil > props.now;
  const withYou = chat.handedOff && waitingFor === null;
  if (waitingFor === null && !withYou && !paused) return null;
  return (
    <span className="chat-item__badges">
      {waitingFor !== null && (
        <span className="tag tag--needs-you" data-waiting-since={chat.waitingSince}>
          Needs you · waiting {waitingFor}
        </span>
      )}
      {withYou && <span className="tag tag--with-you">With you</span>}
      {paused && <span className="tag tag--paused">Bot paused</span>}
    </span>
  );
}
