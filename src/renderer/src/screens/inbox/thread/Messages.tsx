import type { BotReplyKind, ConversationSummary, ThreadMessage } from '../../../../../shared/contract';
import { MessageMedia } from '../../../components/MessageMedia';
import { shortTime } from '../chat-format';
import { DeliveryStatus } from '../DeliveryStatus';
import type { ThreadView } from './use-thread';

const KIND_LABEL: Record<BotReplyKind, string> = {
  faq: 'FAQ',
  ai: 'AI',
  greeting: 'Greeting',
  away: 'Away message',
  handoff: 'Hand-off',
};

/** The chat's messages, oldest first, with "Show older messages" above them. */
export function Messages(props: {
  workspaceId: string;
  chat: ConversationSummary;
  view: ThreadView;
  now: number;
  focusMessageId: string | null;
}) {
  const { thread, olderLoading, scroller, stickToBottom, loadOlder } = props.view;
  return (
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
          <Bubble
            key={m.id}
            message={m}
            workspaceId={props.workspaceId}
            chatId={props.chat.chatId}
            now={props.now}
            found={m.id === props.focusMessageId}
          />
        ))
      )}
    </ol>
  );
}

function Bubble(props: {
  message: ThreadMessage;
  workspaceId: string;
  chatId: string;
  now: number;
  found: boolean;
}) {
  const { message: m, workspaceId, chatId } = props;
  return (
    <li
      className={`bubble bubble--${m.author}${m.status === 'failed' ? ' bubble--failed' : ''}${props.found ? ' bubble--found' : ''}`}
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
          workspaceId={workspaceId}
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
        {shortTime(m.at, props.now)}
        {m.status !== 'failed' && <DeliveryStatus message={m} workspaceId={workspaceId} chatId={chatId} />}
      </span>
      {m.status === 'failed' && <DeliveryStatus message={m} workspaceId={workspaceId} chatId={chatId} />}
    </li>
  );
}
