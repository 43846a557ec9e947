import { useId, type ReactNode } from 'react';
import { SwitchRow } from '../components/Field';
import type { FieldErrors } from './settings-schedule';

/** One card of the Settings page, named by its title (a screen reader lists it as a region). */
export function SettingsSection(props: { title: string; className?: string; children: ReactNode }) {
  const id = useId();
  const className = `card settings__section${props.className !== undefined ? ` ${props.className}` : ''}`;
  return (
    <section className={className} aria-labelledby={`${id}-title`}>
      <h2 className="card__title card__title--small" id={`${id}-title`}>
        {props.title}
      </h2>
      {props.children}
    </section>
  );
}

/** A section of the settings form: its part of the draft, the problems found, and its changes. */
export interface SectionProps<D> {
  draft: D;
  errors: FieldErrors;
  onChange: (next: D) => void;
}

/** What a feature's switch says: its name, and what on and off do. */
export interface SwitchWords {
  title: string;
  hint: string;
}

/** The switch that turns a section's feature on or off: the draft's `enabled`. */
export function EnabledSwitch<D extends { enabled: boolean }>(props: {
  words: SwitchWords;
  name?: string;
  draft: D;
  onChange: (next: D) => void;
}) {
  const { draft, onChange } = props;
  return (
    <SwitchRow
      title={props.words.title}
      hint={props.words.hint}
      {...(props.name !== undefined && { name: props.name })}
      checked={draft.enabled}
      onChange={(enabled) => onChange({ ...draft, enabled })}
    />
  );
}
