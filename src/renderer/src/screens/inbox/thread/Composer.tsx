import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useApp } from '../../../state/app-context';
import type { Attachment } from '../Attachment';
import { useQuickReplies } from '../QuickReplies';
import type { ThreadActions, ThreadView } from './use-thread';

const MAX_REPLY = 4096;

/** The reply box: text, quick replies after "/", and the attached file with its caption. */
export function Composer(props: {
  workspaceId: string;
  chatId: string;
  attachment: Attachment;
  actions: ThreadActions;
  view: ThreadView;
}) {
  const { client } = useApp();
  const { attachment, actions, view } = props;
  const { busy, setBusy, act } = actions;
  const [text, setText] = useState('');
  const quick = useQuickReplies({ workspaceId: props.workspaceId, text, setText });

  const sent = () => {
    setText('');
    void view.load();
  };

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    const reply = text.trim();
    if ((reply === '' && !attachment.active) || busy === 'send') return;
    view.stickToBottom.current = true;
    if (attachment.active) {
      // The text is the file's caption; a voice note takes none, so the text follows it on its own.
      const withFile = attachment.takesCaption;
      setBusy('send');
      const fileSent = await attachment.send(withFile ? reply : '');
      setBusy(null);
      if (!fileSent) return;
      if (withFile || reply === '') return sent();
    }
    const ok = await act('send', () =>
      client.invoke('conversation.reply', {
        workspaceId: props.workspaceId,
        chatId: props.chatId,
        text: reply,
      }),
    );
    if (ok) sent();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (quick.onKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  return (
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
  );
}
