import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { MAX_SAVED_REPLY_TEXT, MAX_SAVED_REPLY_TITLE, type SavedReply } from '../../../../shared/contract';
import { errorMessage } from '../../client/client';
import { Field, TextField, FormError } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { useApp, useOnReconnect } from '../../state/app-context';
import { useAction } from '../../state/use-action';
import './inbox.css';

type Editing = { kind: 'new' } | { kind: 'edit'; reply: SavedReply } | null;

/**
 * The owner's saved replies, beside the FAQs: texts they send by hand again and again (bank details,
 * "your order is on the way"). Typing "/" in a chat's reply box offers them with the FAQ answers.
 */
export function SavedReplies(props: { workspaceId: string }) {
  const { client } = useApp();
  const [replies, setReplies] = useState<SavedReply[] | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setReplies(await client.invoke('reply.list', { workspaceId: props.workspaceId }));
      setError(null);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }, [client, props.workspaceId]);
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
        <button className="button button--ghost button--small" type="button" onClick={props.onEdit}>
          <Icon name="edit" size={16} /> Edit
        </button>
        <button
          className="button button--ghost button--small"
          type="button"
          aria-label={`Delete the saved reply ${reply.title}`}
          onClick={props.onDelete}
        >
          <Icon name="trash" size={16} /> Delete
        </button>
      </div>
    </li>
  );
}

function SavedReplyEditor(props: { workspaceId: string; reply: SavedReply | null; onDone: () => void }) {
  const { client } = useApp();
  const [title, setTitle] = useState(props.reply?.title ?? '');
  const [text, setText] = useState(props.reply?.text ?? '');
  const { busy, error, setError, run } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
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

  const label = props.reply === null ? 'New saved reply' : 'Edit saved reply';
  return (
    <form className="card form editor" onSubmit={(e) => void submit(e)} aria-label={label} noValidate>
      <h2 className="card__title card__title--small">{label}</h2>
      <TextField
        label="Name"
        hint={`What you type after "/" to find it · ${title.length} / ${MAX_SAVED_REPLY_TITLE}`}
        name="title"
        value={title}
        onValue={setTitle}
        placeholder="e.g. bank details"
        autoFocus
      />
      <Field label="Reply" hint={`${text.length} / ${MAX_SAVED_REPLY_TEXT} characters`}>
        {(control) => (
          <textarea
            {...control}
            className="input textarea"
            name="text"
            rows={4}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="e.g. Pay to GTBank 0123456789, Mama Nkechi Stores. Send the receipt here."
          />
        )}
      </Field>
      <FormError error={error} />
      <div className="form__actions">
        <button className="button button--ghost" type="button" onClick={props.onDone}>
          Cancel
        </button>
        <button className="button button--primary" type="submit" disabled={busy}>
          {busy ? 'Saving…' : props.reply === null ? 'Add reply' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}
