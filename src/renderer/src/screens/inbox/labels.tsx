import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type FormEvent,
} from 'react';
import { LABEL_COLORS, MAX_LABEL_NAME, type Label, type LabelColor } from '../../../../shared/contract';
import { errorMessage } from '../../client/client';
import { InlineError } from '../../components/InlineError';
import { Icon } from '../../components/Icon';
import { useApp, useOnReconnect } from '../../state/app-context';
import './inbox.css';

// Every screen part that shows labels reads them again when one of them changes them.
const listeners = new Set<() => void>();
const labelsChanged = () => listeners.forEach((reload) => reload());

const COLOR_NAMES: Record<LabelColor, string> = {
  '#2f8fe0': 'Blue',
  '#e6a817': 'Yellow',
  '#e8663d': 'Orange',
  '#2e9e5b': 'Green',
  '#8a5cc7': 'Purple',
  '#d6457a': 'Pink',
  '#1b9aaa': 'Teal',
  '#6b7a8f': 'Grey',
};

/** The workspace's labels, in their order; null while loading. */
export function useLabels(workspaceId: string): Label[] | null {
  const { client } = useApp();
  const [labels, setLabels] = useState<Label[] | null>(null);
  const load = useCallback(() => {
    client
      .invoke('label.list', { workspaceId })
      .then(setLabels)
      .catch(() => undefined);
  }, [client, workspaceId]);
  useEffect(() => {
    load();
    listeners.add(load);
    return () => void listeners.delete(load);
  }, [load]);
  useOnReconnect(load);
  return labels;
}

/** A chip's colour as a custom property: the CSS draws it as a tint and a dot behind dark text. */
const chipStyle = (color: string) => ({ '--label': color }) as CSSProperties;

/**
 * Where the open panel goes: under its button, right edges lined up, on a window wide enough for it
 * to hang there (it is fixed, since the thread's card would clip it); else the CSS centres it.
 */
function usePanelPlace(button: { current: HTMLButtonElement | null }, open: boolean): CSSProperties {
  const [place, setPlace] = useState<CSSProperties>({});
  useLayoutEffect(() => {
    const at = button.current?.getBoundingClientRect();
    if (!open || at === undefined || window.innerWidth <= 760) {
      setPlace({});
      return;
    }
    const top = Math.round(at.bottom + 6);
    setPlace({
      top,
      left: 'auto',
      right: Math.max(12, Math.round(window.innerWidth - at.right)),
      transform: 'none',
      maxHeight: `calc(100vh - ${top + 12}px)`,
    });
  }, [button, open]);
  return place;
}

/** The chat's labels as small coloured chips. */
export function LabelChips(props: { labels: Label[] | null; ids: readonly string[] }) {
  if (props.labels === null || props.ids.length === 0) return null;
  const byId = new Map(props.labels.map((l) => [l.id, l]));
  return (
    <span className="label-chips">
      {props.ids.map((id) => {
        const label = byId.get(id);
        return label === undefined ? null : (
          <span key={id} className="label-chip" style={chipStyle(label.color)}>
            {label.name}
          </span>
        );
      })}
    </span>
  );
}

/** "Show: all labels / one label" above the chat list. */
export function LabelFilter(props: {
  labels: Label[] | null;
  value: string | null;
  onChange: (labelId: string | null) => void;
}) {
  if (props.labels === null || props.labels.length === 0) return null;
  return (
    <label className="label-filter">
      <span className="visually-hidden">Filter by label</span>
      <select
        className="input label-filter__select"
        aria-label="Filter by label"
        value={props.value ?? ''}
        onChange={(e) => props.onChange(e.target.value === '' ? null : e.target.value)}
      >
        <option value="">All labels</option>
        {props.labels.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}

interface PickerProps {
  workspaceId: string;
  chatId: string;
  labelIds: readonly string[];
  onChanged?: () => void;
}

/** The chat's labels as ticked, shown at once and put back when saving them fails. */
function useChosenLabels(props: PickerProps) {
  const { client } = useApp();
  const [chosen, setChosen] = useState<readonly string[]>(props.labelIds);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setChosen(props.labelIds), [props.labelIds]);

  const toggle = async (labelId: string, on: boolean) => {
    const next = on ? [...chosen, labelId] : chosen.filter((id) => id !== labelId);
    setChosen(next);
    try {
      const saved = await client.invoke('conversation.setLabels', {
        workspaceId: props.workspaceId,
        chatId: props.chatId,
        labelIds: next,
      });
      setChosen(saved.labelIds);
      setError(null);
      props.onChanged?.();
    } catch (failure) {
      setChosen(props.labelIds);
      setError(errorMessage(failure));
    }
  };
  return { chosen, error, toggle };
}

/** The "Labels" button of a chat: tick the chat's labels, or add, rename and delete the labels. */
export function LabelPicker(props: PickerProps) {
  const labels = useLabels(props.workspaceId);
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const choice = useChosenLabels(props);
  const button = useRef<HTMLButtonElement>(null);
  const place = usePanelPlace(button, open);

  return (
    <div className="label-picker">
      <button
        ref={button}
        className="button button--ghost button--small"
        type="button"
        aria-expanded={open}
        onClick={() => {
          setOpen((o) => !o);
          setEditing(false);
        }}
      >
        <span className="label-picker__dot" aria-hidden="true" /> Labels
      </button>
      {open && (
        <div
          className="label-picker__panel card"
          style={place}
          role="dialog"
          aria-label="Labels of this chat"
        >
          {labels === null ? (
            <p className="muted">Loading labels…</p>
          ) : editing ? (
            <LabelEditor workspaceId={props.workspaceId} labels={labels} onDone={() => setEditing(false)} />
          ) : (
            <LabelChoices
              labels={labels}
              choice={choice}
              onEdit={() => setEditing(true)}
              onDone={() => setOpen(false)}
            />
          )}
        </div>
      )}
    </div>
  );
}

function LabelChoices(props: {
  labels: Label[];
  choice: ReturnType<typeof useChosenLabels>;
  onEdit: () => void;
  onDone: () => void;
}) {
  const { labels } = props;
  const { chosen, error, toggle } = props.choice;
  return (
    <>
      <ul className="label-picker__list">
        {labels.map((label) => (
          <li key={label.id}>
            <label className="label-picker__option">
              <input
                type="checkbox"
                checked={chosen.includes(label.id)}
                onChange={(e) => void toggle(label.id, e.target.checked)}
              />
              <span className="label-chip" style={chipStyle(label.color)}>
                {label.name}
              </span>
            </label>
          </li>
        ))}
      </ul>
      {labels.length === 0 && <p className="muted">No labels yet.</p>}
      <InlineError error={error} />
      <div className="label-picker__foot">
        <button className="button button--ghost button--small" type="button" onClick={props.onEdit}>
          <Icon name="edit" size={16} /> Edit labels
        </button>
        <button className="button button--secondary button--small" type="button" onClick={props.onDone}>
          Done
        </button>
      </div>
    </>
  );
}

/** Add, rename, recolour and delete the workspace's labels. */
function LabelEditor(props: { workspaceId: string; labels: Label[]; onDone: () => void }) {
  const { client } = useApp();
  const [name, setName] = useState('');
  const [color, setColor] = useState<LabelColor>(LABEL_COLORS[5]);
  const [error, setError] = useState<string | null>(null);

  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setError(null);
      labelsChanged();
      return true;
    } catch (failure) {
      setError(errorMessage(failure));
      return false;
    }
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === '') {
      setError('Give the label a name.');
      return;
    }
    if (
      await act(() => client.invoke('label.create', { workspaceId: props.workspaceId, name: trimmed, color }))
    )
      setName('');
  };

  return (
    <div className="label-editor">
      <ul className="label-editor__list">
        {props.labels.map((label) => (
          <LabelRow key={label.id} workspaceId={props.workspaceId} label={label} act={act} />
        ))}
      </ul>
      <form className="label-editor__new" onSubmit={(e) => void add(e)} aria-label="New label">
        <input
          className="input"
          aria-label="New label name"
          placeholder="New label, e.g. Wholesale"
          maxLength={MAX_LABEL_NAME}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <ColorSelect value={color} onChange={setColor} label="Colour of the new label" />
        <button className="button button--primary button--small" type="submit">
          Add
        </button>
      </form>
      <InlineError error={error} />
      <div className="label-picker__foot">
        <button className="button button--secondary button--small" type="button" onClick={props.onDone}>
          Back
        </button>
      </div>
    </div>
  );
}

function LabelRow(props: {
  workspaceId: string;
  label: Label;
  act: (action: () => Promise<unknown>) => Promise<boolean>;
}) {
  const { client } = useApp();
  const { label } = props;
  const [name, setName] = useState(label.name);
  const ref = { workspaceId: props.workspaceId, labelId: label.id };
  const rename = () => {
    if (name.trim() === label.name) return;
    void props
      .act(() => client.invoke('label.update', { ...ref, name: name.trim() }))
      .then((ok) => {
        if (!ok) setName(label.name);
      });
  };
  return (
    <li className="label-editor__row">
      <span className="label-editor__swatch" style={{ background: label.color }} aria-hidden="true" />
      <input
        className="input"
        aria-label={`Name of the label ${label.name}`}
        maxLength={MAX_LABEL_NAME}
        value={name}
        onChange={(e) => setName(e.target.value)}
        onBlur={rename}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            rename();
          }
        }}
      />
      <ColorSelect
        value={label.color}
        label={`Colour of the label ${label.name}`}
        onChange={(next) => void props.act(() => client.invoke('label.update', { ...ref, color: next }))}
      />
      <button
        className="button button--ghost button--small"
        type="button"
        aria-label={`Delete the label ${label.name}`}
        onClick={() => void props.act(() => client.invoke('label.delete', ref))}
      >
        <Icon name="trash" size={16} />
      </button>
    </li>
  );
}

const isColor = (value: string): value is LabelColor => (LABEL_COLORS as readonly string[]).includes(value);

function ColorSelect(props: { value: string; onChange: (color: LabelColor) => void; label: string }) {
  return (
    <select
      className="input label-editor__color"
      aria-label={props.label}
      value={props.value}
      onChange={(e) => {
        if (isColor(e.target.value)) props.onChange(e.target.value);
      }}
      style={{ borderLeft: `14px solid ${props.value}` }}
    >
      {LABEL_COLORS.map((c) => (
        <option key={c} value={c}>
          {COLOR_NAMES[c]}
        </option>
      ))}
    </select>
  );
}
