import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { FormError } from '../../components/Field';
import { InlineError } from '../../components/InlineError';
import { MAX_NOTES, type ContactCard as Card } from '../../../../shared/contract';
import { formatPhone } from '../../format';
import { useApp, useEvent, useOnReconnect } from '../../state/app-context';
import { attempt } from '../../state/attempt';
import { LabelChips, LabelPicker, useLabels } from './labels';
import './inbox.css';

const MAX_NAME = 100;
const date = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

/**
 * Who the customer is, beside the thread (a sheet over it on a narrow window): the name (the owner may
 * set their own), number, first contact, message count, labels, private notes, and the customer's chats
 * with each of the shop's numbers.
 */
/** The card and the owner's names for the shop's numbers, read again when the chat changes. */
function useContactCard(workspaceId: string, chatId: string) {
  const { client } = useApp();
  const [card, setCard] = useState<Card | null>(null);
  /** The owner's names for the shop's numbers ("Lekki branch"), to tell the customer's chats apart. */
  const [numberNames, setNumberNames] = useState<ReadonlyMap<string, string>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    () =>
      attempt(async () => {
        const [found, numbers] = await Promise.all([
          client.invoke('contact.card', { workspaceId, chatId }),
          client.invoke('connection.list', { workspaceId }),
        ]);
        setCard(found);
        setNumberNames(new Map(numbers.flatMap((n) => (n.label !== null ? [[n.e164, n.label]] : []))));
      }, setError),
    [client, workspaceId, chatId],
  );
  useEffect(() => void load(), [load]);
  useOnReconnect(() => void load());
  useEvent('conversation.changed', (event) => {
    if (event.workspaceId === workspaceId && event.chatId === chatId) void load();
  });
  return { card, setCard, numberNames, error };
}

/**
 * Who the customer is, beside the thread (a sheet over it on a narrow window): the name (the owner may
 * set their own), number, first contact, message count, labels, private notes, and the customer's chats
 * with each of the shop's numbers.
 */
export function ContactCard(props: { workspaceId: string; chatId: string; onClose: () => void }) {
  const { client } = useApp();
  const labels = useLabels(props.workspaceId);
  const { card, setCard, numberNames, error } = useContactCard(props.workspaceId, props.chatId);
  const ref = { workspaceId: props.workspaceId, chatId: props.chatId };

  return (
    <>
      <div className="contact-card__backdrop" aria-hidden="true" onClick={props.onClose} />
      <aside className="contact-card card" aria-label="Contact card">
        <header className="contact-card__head">
          <h2 className="contact-card__title">Contact</h2>
          <button className="button button--ghost button--small" type="button" onClick={props.onClose}>
            Close
          </button>
        </header>
        <FormError error={error} />
        {card === null ? (
          <p className="muted">Loading…</p>
        ) : (
          <>
            <NameField
              card={card}
              onSave={(name) => client.invoke('contact.update', { ...ref, name }).then(setCard)}
            />
            <dl className="contact-card__facts">
              <dt>Number</dt>
              <dd>{card.phone !== null ? formatPhone(card.phone) : 'Hidden by WhatsApp'}</dd>
              <dt>First message</dt>
              <dd>{card.firstSeenAt !== null ? date.format(card.firstSeenAt) : '—'}</dd>
              <dt>Messages</dt>
              <dd data-testid="message-count">{card.messageCount.toLocaleString()}</dd>
            </dl>
            <section className="contact-card__section">
              <h3 className="contact-card__heading">Labels</h3>
              <LabelChips labels={labels} ids={card.labelIds} />
              {card.labelIds.length === 0 && <p className="muted contact-card__none">No labels yet.</p>}
              <LabelPicker workspaceId={props.workspaceId} chatId={props.chatId} labelIds={card.labelIds} />
            </section>
            <CardNumbers numbers={card.numbers} numberNames={numberNames} />
            <NotesField
              key={card.chatId}
              notes={card.notes}
              onSave={(notes) => client.invoke('contact.update', { ...ref, notes }).then(setCard)}
            />
          </>
        )}
      </aside>
    </>
  );
}

/** The customer's chats with each of the shop's numbers. */
function CardNumbers(props: { numbers: Card['numbers']; numberNames: ReadonlyMap<string, string> }) {
  const { numbers, numberNames } = props;
  if (numbers.length === 0) return null;
  return (
    <section className="contact-card__section">
      <h3 className="contact-card__heading">
        {numbers.length > 1 ? 'Chats with your numbers' : 'Writes to'}
      </h3>
      <ul className="contact-card__numbers">
        {numbers.map((n) => (
          <li key={n.businessNumber}>
            <span className="contact-card__number">
              {formatPhone(n.businessNumber)}
              {numberNames.has(n.businessNumber) && ` · ${numberNames.get(n.businessNumber)}`}
            </span>
            <span className="muted">
              {n.messageCount} message{n.messageCount === 1 ? '' : 's'} · since {date.format(n.firstSeenAt)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function NameField(props: { card: Card; onSave: (name: string | null) => Promise<unknown> }) {
  const { card } = props;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(card.name ?? '');
  const [error, setError] = useState<string | null>(null);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === '') return setError('Type a name, or use the WhatsApp name.');
    if (trimmed.length > MAX_NAME) return setError(`A name is at most ${MAX_NAME} characters.`);
    await attempt(async () => {
      await props.onSave(trimmed);
      setEditing(false);
    }, setError);
  };
  if (!editing) {
    return (
      <div className="contact-card__name">
        <p className="contact-card__display" data-testid="contact-name">
          {card.name ?? (card.phone !== null ? formatPhone(card.phone) : 'No name')}
        </p>
        {card.nameIsOwners && card.whatsappName !== null && (
          <p className="muted contact-card__whatsapp-name">On WhatsApp: {card.whatsappName}</p>
        )}
        <button
          className="button button--ghost button--small"
          type="button"
          onClick={() => {
            setName(card.name ?? '');
            setEditing(true);
          }}
        >
          Edit name
        </button>
      </div>
    );
  }
  return (
    <form className="contact-card__name-form" onSubmit={(e) => void save(e)} aria-label="Contact name">
      <input
        className="input"
        aria-label="Name"
        value={name}
        maxLength={MAX_NAME + 20}
        autoFocus
        onChange={(e) => setName(e.target.value)}
      />
      <InlineError error={error} />
      <div className="contact-card__row">
        <button className="button button--primary button--small" type="submit">
          Save name
        </button>
        {card.nameIsOwners && (
          <button
            className="button button--ghost button--small"
            type="button"
            onClick={() => void props.onSave(null).then(() => setEditing(false))}
          >
            Use the WhatsApp name
          </button>
        )}
        <button
          className="button button--ghost button--small"
          type="button"
          onClick={() => setEditing(false)}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}

function NotesField(props: { notes: string; onSave: (notes: string) => Promise<unknown> }) {
  const [notes, setNotes] = useState(props.notes);
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<string | null>(null);
  const dirty = notes !== props.notes;
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (notes.length > MAX_NOTES) return setError(`Notes are at most ${MAX_NOTES} characters.`);
    setState('saving');
    const saved = await attempt(() => props.onSave(notes), setError);
    setState(saved ? 'saved' : 'idle');
  };
  return (
    <form className="contact-card__section" onSubmit={(e) => void save(e)} aria-label="Private notes">
      <h3 className="contact-card__heading">
        <label htmlFor="contact-notes">Private notes</label>
      </h3>
      <textarea
        id="contact-notes"
        className="input textarea"
        rows={4}
        placeholder="Only you see these, e.g. prefers delivery after 5pm"
        value={notes}
        onChange={(e) => {
          setNotes(e.target.value);
          setState('idle');
        }}
      />
      <div className="contact-card__row">
        <span
          className={`muted contact-card__count${notes.length > MAX_NOTES ? ' contact-card__count--over' : ''}`}
        >
          {notes.length} / {MAX_NOTES}
        </span>
        <button
          className="button button--secondary button--small"
          type="submit"
          disabled={!dirty || state === 'saving'}
        >
          {state === 'saving' ? 'Saving…' : 'Save notes'}
        </button>
      </div>
      {state === 'saved' && !dirty && (
        <p className="muted" role="status">
          Notes saved.
        </p>
      )}
      <InlineError error={error} />
    </form>
  );
}
