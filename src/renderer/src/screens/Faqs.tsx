import { useCallback, useEffect, useState } from 'react';
import { FormError } from '../components/Field';
import type { FaqListItem } from '../../../shared/contract';
import { EmptyState } from '../components/EmptyState';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/Layout';
import { SearchBox } from '../components/SearchBox';
import { useApp, useEvent, useOnReconnect, useWorkspace } from '../state/app-context';
import { FaqEditor } from './faqs/FaqEditor';
import { FaqItem } from './faqs/FaqItem';
import { ShopWords } from './FaqSynonyms';
import { CsvButtons, TryMessage } from './FaqTools';
import { SavedReplies } from './inbox/SavedReplies';
import { useLoader } from './use-loader';

type Editing = { kind: 'new' } | { kind: 'edit'; faq: FaqListItem } | null;

/** The workspace's FAQs, read again when they change; the editor closes when the workspace changes. */
function useFaqs(onReset: () => void) {
  const { client } = useApp();
  const workspace = useWorkspace();
  const read = useCallback(
    () => client.invoke('faq.list', { workspaceId: workspace.id }),
    [client, workspace.id],
  );
  const { value: faqs, setValue: setFaqs, error, load } = useLoader(read);

  useEffect(() => {
    setFaqs(null);
    onReset();
    void load();
  }, [load]);
  useOnReconnect(() => void load());
  useEvent('faq.changed', (event) => {
    if (event.workspaceId === workspace.id) void load();
  });
  return { faqs, error };
}

/**
 * The owner's FAQ: list, search, add, edit, switch on/off, delete, "try a message", CSV import and
 * export. The editor is its own component so other screens can reuse it.
 */
export function Faqs() {
  const workspace = useWorkspace();
  const [editing, setEditing] = useState<Editing>(null);
  const { faqs, error } = useFaqs(() => setEditing(null));
  const [trying, setTrying] = useState(false);
  const [wording, setWording] = useState(false);
  const [tab, setTab] = useState<AnswerTab>('faqs');
  const [search, setSearch] = useState('');

  return (
    <>
      <PageHeader
        title="FAQs"
        subtitle="The questions customers ask most, with your answers. Switchboard replies with them word for word."
        actions={
          tab === 'faqs' && (
            <>
              <button
                className="button button--secondary"
                type="button"
                aria-pressed={trying}
                onClick={() => setTrying((t) => !t)}
              >
                <Icon name="message" size={18} /> Try a message
              </button>
              <button
                className="button button--secondary"
                type="button"
                aria-pressed={wording}
                onClick={() => setWording((w) => !w)}
              >
                Same words
              </button>
              <button
                className="button button--primary"
                type="button"
                onClick={() => setEditing({ kind: 'new' })}
              >
                <Icon name="plus" size={18} /> New FAQ
              </button>
            </>
          )
        }
      />
      <AnswerTabs tab={tab} onTab={setTab} />
      {tab === 'saved' ? (
        <SavedReplies workspaceId={workspace.id} />
      ) : (
        <>
          <FormError error={error} />
          {trying && <TryMessage workspaceId={workspace.id} />}
          {wording && <ShopWords />}
          {editing !== null && (
            <FaqEditor
              key={editing.kind === 'edit' ? editing.faq.id : 'new'}
              workspaceId={workspace.id}
              faq={editing.kind === 'edit' ? editing.faq : null}
              onDone={() => setEditing(null)}
            />
          )}
          <FaqList faqs={faqs} search={search} onSearch={setSearch} onEdit={setEditing} />
        </>
      )}
    </>
  );
}

type AnswerTab = 'faqs' | 'saved';
const ANSWER_TABS: { tab: AnswerTab; label: string }[] = [
  { tab: 'faqs', label: 'FAQs' },
  { tab: 'saved', label: 'Saved replies' },
];

function AnswerTabs(props: { tab: AnswerTab; onTab: (tab: AnswerTab) => void }) {
  return (
    <div className="faq-tabs" role="tablist" aria-label="Answers">
      {ANSWER_TABS.map(({ tab, label }) => (
        <button
          key={tab}
          type="button"
          role="tab"
          className="faq-tabs__tab"
          aria-selected={props.tab === tab}
          onClick={() => props.onTab(tab)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

/** The search box, the count and CSV buttons, then the FAQs that match the search. */
function FaqList(props: {
  faqs: FaqListItem[] | null;
  search: string;
  onSearch: (search: string) => void;
  onEdit: (editing: Editing) => void;
}) {
  const workspace = useWorkspace();
  const { faqs, search } = props;
  const needle = search.trim().toLocaleLowerCase();
  const shown =
    faqs?.filter(
      (f) =>
        needle === '' ||
        [f.question, f.answer, ...f.phrasings].some((t) => t.toLocaleLowerCase().includes(needle)),
    ) ?? [];
  const enabledCount = faqs?.filter((f) => f.enabled).length ?? 0;
  return (
    <>
      <div className="toolbar">
        <SearchBox
          icon="search"
          type="search"
          placeholder="Search questions and answers"
          aria-label="Search FAQs"
          value={search}
          onChange={(e) => props.onSearch(e.target.value)}
        />
        {faqs !== null && (
          <span className="muted toolbar__count">
            {faqs.length} FAQ{faqs.length === 1 ? '' : 's'} · {enabledCount} on
          </span>
        )}
        <CsvButtons workspaceId={workspace.id} />
      </div>
      {faqs === null ? (
        <div className="card card--skeleton" />
      ) : faqs.length === 0 ? (
        <NoFaqs onNew={() => props.onEdit({ kind: 'new' })} />
      ) : shown.length === 0 ? (
        <p className="muted empty-line">No FAQ matches &ldquo;{search}&rdquo;.</p>
      ) : (
        <ul className="faq-list">
          {shown.map((faq) => (
            <FaqItem key={faq.id} faq={faq} onEdit={() => props.onEdit({ kind: 'edit', faq })} />
          ))}
        </ul>
      )}
    </>
  );
}

function NoFaqs({ onNew }: { onNew: () => void }) {
  return (
    <EmptyState icon="faq" title="No FAQs yet">
      <p className="muted">
        Start with what customers ask every day: opening hours, delivery, prices, how to pay.
      </p>
      <button className="button button--primary" type="button" onClick={onNew}>
        Write your first FAQ
      </button>
    </EmptyState>
  );
}
