import { useState } from 'react';
import type { ConversationSummary } from '../../../../../shared/contract';
import { useNow, useWorkspace } from '../../../state/app-context';
import { LearnFromChat } from '../../LearnFromChat';
import { TemplateComposer } from '../../TemplateComposer';
import { useAttachment } from '../Attachment';
import { chatName } from '../chat-format';
import { Composer } from './Composer';
import { Messages } from './Messages';
import { ThreadHeader, ThreadState } from './ThreadHeader';
import { useFocusMessage, useThread, useThreadActions } from './use-thread';

/** The open chat: who it is with, its hand-off state, the messages and the reply box. */
export function Thread({
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
  const workspace = useWorkspace();
  const now = useNow(30_000);
  const [error, setError] = useState<string | null>(null);
  const view = useThread(workspace.id, chat, setError);
  useFocusMessage(view, focusMessageId);
  const actions = useThreadActions(setError);
  const attachment = useAttachment({ workspaceId: workspace.id, chatId: chat.chatId });
  const { serviceWindow } = view;
  // What the header and the messages both show the chat by.
  const shown = { workspaceId: workspace.id, chat, now };

  return (
    <section
      className={`thread card card--flush${attachment.dragging ? ' thread--dragging' : ''}`}
      aria-label={`Conversation with ${chatName(chat)}`}
      {...attachment.dropProps}
    >
      <ThreadHeader {...shown} actions={actions} onBack={onBack} onContact={onContact} />
      <ThreadState chat={chat} now={now} />
      <Messages {...shown} view={view} focusMessageId={focusMessageId} />
      <LearnFromChat workspaceId={workspace.id} chatId={chat.chatId} lastMessageAt={view.newestAt} />
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
          onSent={() => void view.load()}
        />
      ) : (
        <Composer
          workspaceId={workspace.id}
          chatId={chat.chatId}
          attachment={attachment}
          actions={actions}
          view={view}
        />
      )}
    </section>
  );
}
