import type { ConversationSummary } from '../../../../../shared/contract';
import { describeWaiting, waitedFor } from '../../../../../shared/escalation-words';
import { Icon } from '../../../components/Icon';
import { formatPhone } from '../../../format';
import { useApp } from '../../../state/app-context';
import { chatName, clock, initials } from '../chat-format';
import { LabelPicker } from '../labels';
import type { ThreadActions } from './use-thread';

const PAUSE_MINUTES = 30;

interface HeaderProps {
  workspaceId: string;
  chat: ConversationSummary;
  now: number;
  actions: ThreadActions;
  onBack: () => void;
  onContact: () => void;
}

/** Who the chat is with, on which number, and the hand-off buttons: take over, give back, pause. */
export function ThreadHeader(props: HeaderProps) {
  const { chat } = props;
  const name = chatName(chat);
  return (
    <header className="thread__head">
      <button
        className="button button--ghost button--small thread__back"
        type="button"
        onClick={props.onBack}
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
        <LabelPicker workspaceId={props.workspaceId} chatId={chat.chatId} labelIds={chat.labelIds} />
        <button className="button button--ghost button--small" type="button" onClick={props.onContact}>
          Contact
        </button>
        <HandoffButtons {...props} />
      </div>
    </header>
  );
}

function HandoffButtons({ workspaceId, chat, now, actions }: HeaderProps) {
  const { client } = useApp();
  const ref = { workspaceId, chatId: chat.chatId };
  const { busy, act } = actions;
  const paused = chat.botPausedUntil !== null && chat.botPausedUntil > now;
  // One button in one place: give back while the owner (or the pause, or a wait) has the chat, else take over.
  const toggle =
    chat.handedOff || paused || chat.waitingSince !== null
      ? {
          kind: 'primary',
          busy: 'release' as const,
          invoke: () => client.invoke('conversation.release', ref),
          title: "The bot answers this customer's next questions again",
          label: 'Give back to the bot',
        }
      : {
          kind: 'secondary',
          busy: 'takeOver' as const,
          invoke: () => client.invoke('conversation.takeOver', ref),
          title: 'You answer this chat; the bot keeps out until you give it back',
          label: 'Take over',
        };
  return (
    <>
      <button
        className={`button button--${toggle.kind} button--small`}
        type="button"
        disabled={busy !== null}
        onClick={() => void act(toggle.busy, toggle.invoke)}
        title={toggle.title}
      >
        {toggle.label}
      </button>
      {!chat.handedOff && !paused && (
        <button
          className="button button--ghost button--small"
          type="button"
          disabled={busy !== null}
          onClick={() =>
            void act('pause', () => client.invoke('conversation.pause', { ...ref, minutes: PAUSE_MINUTES }))
          }
          title={`For ${PAUSE_MINUTES} minutes the bot does not answer ${chatName(chat)}; you do. Then it answers again.`}
        >
          Pause the bot for {PAUSE_MINUTES} minutes (until {clock.format(now + PAUSE_MINUTES * 60_000)}) — you
          answer this chat
        </button>
      )}
    </>
  );
}

/** Why a person has the chat: waiting for an answer, handed over by the bot, or the bot paused. */
export function ThreadState({ chat, now }: { chat: ConversationSummary; now: number }) {
  const paused = chat.botPausedUntil !== null && chat.botPausedUntil > now;
  if (!chat.handedOff && !paused && chat.waitingSince === null) return null;
  return (
    <div className="thread__state">
      {chat.waitingSince !== null && (
        <p className="thread__state-line thread__state-line--needs-you">
          <span className="tag tag--needs-you">Needs you</span> Waiting {waitedFor(chat.waitingSince, now)}{' '}
          for your answer
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
  );
}
