import { useState } from 'react';
import type { ThreadMessage } from '../../../../shared/contract';
import { errorMessage } from '../../client/client';
import { useApp } from '../../state/app-context';
import './inbox.css';

const WORDS: Partial<Record<ThreadMessage['status'], string>> = {
  queued: 'Waiting to send',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
};

/**
 * The ticks under the owner's and the bot's messages, as WhatsApp draws them: one grey tick sent, two
 * grey delivered, two blue read, a clock while sending. A failed message says why and offers Retry.
 */
export function DeliveryStatus(props: { message: ThreadMessage; workspaceId: string; chatId: string }) {
  const { message } = props;
  const { client } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (message.author === 'contact') return null;

  if (message.status === 'failed') {
    const retry = async () => {
      setBusy(true);
      try {
        await client.invoke('conversation.retry', {
          workspaceId: props.workspaceId,
          chatId: props.chatId,
          messageId: message.id,
        });
        setError(null);
      } catch (failure) {
        setError(errorMessage(failure));
      } finally {
        setBusy(false);
      }
    };
    return (
      <span className="delivery delivery--failed" data-status="failed">
        <span className="delivery__why">Not sent: {message.failure ?? 'WhatsApp did not take it.'}</span>
        <button
          className="button button--secondary button--small delivery__retry"
          type="button"
          disabled={busy}
          onClick={() => void retry()}
        >
          {busy ? 'Sending…' : 'Retry'}
        </button>
        {error !== null && (
          <span className="delivery__error" role="alert">
            {error}
          </span>
        )}
      </span>
    );
  }

  const words = WORDS[message.status];
  if (words === undefined) return null;
  return (
    <span className={`delivery delivery--${message.status}`} data-status={message.status} title={words}>
      <Ticks status={message.status} />
      <span className="visually-hidden">{words}</span>
    </span>
  );
}

function Ticks({ status }: { status: ThreadMessage['status'] }) {
  if (status === 'queued' || status === 'sending') {
    return (
      <svg className="delivery__icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <path
          d="M8 4.5V8l2.5 1.5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinecap="round"
        />
      </svg>
    );
  }
  const two = status === 'delivered' || status === 'read';
  return (
    <svg className="delivery__icon" viewBox="0 0 20 16" width="18" height="14" aria-hidden="true">
      <path d="M1.5 8.5 5 12l7-8" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      {two && (
        <path
          d="M7.5 11.5 8 12l7-8"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
          strokeLinecap="round"
        />
      )}
    </svg>
  );
}
