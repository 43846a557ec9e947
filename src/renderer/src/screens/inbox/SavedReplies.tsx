import { useCallback, useEffect, useState } from 'react';
import { MAX_SAVED_REPLY_TEXT, MAX_SAVED_REPLY_TITLE, type SavedReply } from '../../../../shared/contract';
import { errorMessage } from '../../client/client';
import { EditorForm } from '../../components/EditorForm';
import { FormError, TextField } from '../../components/Field';
import { TextAreaField } from '../../components/TextAreaField';
import { EditDeleteButtons } from '../../components/EditDeleteButtons';
import { Icon } from '../../components/Icon';
import { useApp, useOnReconnect } from '../../state/app-context';
import { useAction } from '../../state/use-action';
import { useLoader } from '../use-loader';
import './inbox.css';

type Editing = { kind: 'new' } | { kind: 'edit'; reply: SavedReply } | null;

/**
 * The owner's saved replies, beside the FAQs: texts they send by hand again and again (bank details,
 * "your order is on the way"). Typing "/" in a chat's reply box offers them with the FAQ answers.
 */
export function SavedReplies(props: { workspaceId: string }) {
  const { client } = useApp();
  const [editing, setEditing] = useState<Editing>(null);
  const read = useCallback(
    () => client.invoke('reply.list', { workspaceId: props.workspaceId }),
    [client, props.workspaceId],
  );
  const { value: replies, error, setError, load } = useLoader(read);
  useEffect(() => void load(), [load]);
  useOnReconnect(() => void load());

  const remove = async (reply: SavedReply) => {
    try {
      await client.invoke('reply.delete', { workspaceId: props.workspaceId, replyId: reply.id });
      await load();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  return (
    <section className="saved-replies" aria-label="Saved replies">
      <div className="saved-replies__intro">
        <p className="muted">
          Texts you send by hand again and again. In a chat, type <kbd>/</kbd> in the reply box to pick one
          (or an FAQ answer), change it if you like, and send.
        </p>
        <button className="button button--primary" type="button" onClick={() => setEditing({ kind: 'new' })}>
          <Icon name="plus" size={18} /> New saved reply
        </button>
      </div>
      <FormError error={error} />
      {editing !== null && (
        <SavedReplyEditor
          key={editing.kind === 'edit' ? editing.reply.id : 'new'}
          workspaceId={props.workspaceId}
          reply={editing.kind === 'edit' ? editing.reply : null}
          onDone={() => {
            setEditing(null);
            void load();
          }}
        />
      )}
      {replies === null ? (
        <div className="card card--skeleton" />
      ) : replies.length === 0 ? (
        <p className="muted empty-line">No saved replies yet. Your bank details make a good first one.</p>
      ) : (
        <ul className="faq-list">
          {replies.map((reply) => (
            <SavedReplyItem
              key={reply.id}
              reply={reply}
              onEdit={() => setEditing({ kind: 'edit', reply })}
              onDelete={() => void remove(reply)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function SavedReplyItem(props: { reply: SavedReply; onEdit: () => void; onDelete: () => void }) {
  const { reply } = props;
  return (
    <li className="faq" aria-label={reply.title}>
      <div className="faq__body">
        <p className="faq__question">/{reply.title}</p>
        <p className="faq__answer">{reply.text}</p>
      </div>
      <div className="faq__actions">
        <EditDeleteButtons
          onEdit={props.onEdit}
          onDelete={props.onDelete}
          deleteLabel={`Delete the saved reply ${reply.title}`}
        />
      </div>
    </li>
  );
}

function SavedReplyEditor(props: { workspaceId: string; reply: SavedReply | null; onDone: () => void }) {
  const { client } = useApp();
  const [title, setTitle] = useState(props.reply?.title ?? '');
  const [text, setText] = useState(props.reply?.text ?? '');
  const { busy, error, setError, run } = useAction();

  const submit = async () => {
    if (title.trim() === '') return setError('Give the reply a short name, e.g. "bank details".');
    if (text.trim() === '') return setError('Write the text of the reply.');
    await run(async () => {
      if (props.reply === null) {
        await client.invoke('reply.create', { workspaceId: props.workspaceId, title, text });
      } else {
        await client.invoke('reply.update', {
          workspaceId: props.workspaceId,
          replyId: props.reply.id,
          title,
          text,
        });
      }
      props.onDone();
    });
  };

  return (
    <EditorForm
      title={props.reply === null ? 'New saved reply' : 'Edit saved reply'}
      submit={props.reply === null ? 'Add reply' : 'Save changes'}
      busy={busy}
      error={error}
      noValidate
      onSubmit={submit}
      onCancel={props.onDone}
    >
      <TextField
        label="Name"
        hint={`What you type after "/" to find it · ${title.length} / ${MAX_SAVED_REPLY_TITLE}`}
        name="title"
        value={title}
        onValue={setTitle}
        placeholder="e.g. bank details"
        autoFocus
      />
      <TextAreaField
        label="Reply"
        hint={`${text.length} / ${MAX_SAVED_REPLY_TEXT} characters`}
        name="text"
        rows={4}
        value={text}
        onValue={setText}
        placeholder="e.g. Pay to GTBank 0123456789, Mama Nkechi Stores. Send the receipt here."
      />
    </EditorForm>
  );
}
