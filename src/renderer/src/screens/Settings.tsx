import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { settingsPatchInput } from '../../../shared/contract';
import type { Workspace } from '../../../shared/dto';
import type { BotMode } from '../../../shared/types';
import { Field, FormError, TextField } from '../components/Field';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/Layout';
import { useApp, useWorkspace } from '../state/app-context';
import { useSave } from '../state/use-save';
import { AiSettings } from './AiSettings';
import { CentralSync } from './CentralSync';
import { ThisComputer } from './SettingsComputer';
import { Backups } from './Backups';
import { BotModeChoice, CountryField } from './BusinessFields';
import {
  fieldErrorsOf,
  hoursDraftOf,
  hoursPatch,
  pacingDraftOf,
  pacingPatch,
  type FieldErrors,
  type HoursDraft,
  type PacingDraft,
} from './settings-schedule';
import { OpeningHoursSection } from './SettingsHours';
import { PacingSection } from './SettingsPacing';
import { MessagesSection, messagesDraftOf, messagesPatch, type MessagesDraft } from './SettingsMessages';
import { NotificationsSection } from './NotificationsSettings';
import { ClarifySection, type ClarifyDraft } from './SettingsClarify';
import { MediaSection, mediaDraftOf, mediaPatch, mediaProblems, type MediaDraft } from './SettingsMedia';

interface Draft {
  name: string;
  defaultCountry: string;
  botMode: BotMode;
  threshold: number;
  clarify: ClarifyDraft;
  keywords: string[];
  ownerPauseMinutes: number;
  remindAfterMinutes: number;
  hours: HoursDraft;
  pacing: PacingDraft;
  messages: MessagesDraft;
  media: MediaDraft;
}

const draftOf = (w: Workspace): Draft => ({
  name: w.name,
  defaultCountry: w.defaultCountry,
  botMode: w.botMode,
  threshold: w.settings.faq.threshold,
  clarify: { enabled: w.settings.faq.clarify, waitMinutes: w.settings.faq.clarifyWaitMinutes },
  keywords: w.settings.handoff.keywords,
  ownerPauseMinutes: w.settings.handoff.ownerPauseMinutes,
  remindAfterMinutes: w.settings.notifications.remindAfterMinutes,
  hours: hoursDraftOf(w.settings),
  pacing: pacingDraftOf(w.settings),
  messages: messagesDraftOf(w.settings),
  media: mediaDraftOf(w.settings),
});

/** The settings the form saves; checked here with the contract's own schema before they are sent. */
const settingsOf = (draft: Draft) => ({
  faq: {
    threshold: draft.threshold,
    clarify: draft.clarify.enabled,
    clarifyWaitMinutes: draft.clarify.waitMinutes,
  },
  ...messagesPatch(draft.messages),
  handoff: {
    ...messagesPatch(draft.messages).handoff,
    keywords: draft.keywords,
    ownerPauseMinutes: draft.ownerPauseMinutes,
  },
  notifications: { remindAfterMinutes: draft.remindAfterMinutes },
  ...hoursPatch(draft.hours),
  ...pacingPatch(draft.pacing),
  ...mediaPatch(draft.media),
});
const problemsOf = (draft: Draft): FieldErrors => {
  const checked = settingsPatchInput.safeParse(settingsOf(draft));
  // What the owner typed, in words, before the schema's ranges (its "must be a number" says less).
  return { ...(checked.success ? {} : fieldErrorsOf(checked.error.issues)), ...mediaProblems(draft.media) };
};

/** The settings form's draft, its problems in words, and its save. */
function useSettingsForm() {
  const { client, reloadWorkspaces } = useApp();
  const workspace = useWorkspace();
  const [draft, setDraft] = useState(() => draftOf(workspace));
  const { busy, error, setError, saved, setSaved, save } = useSave();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const form = useRef<HTMLFormElement>(null);

  // A change saved here or in another window: show what is stored now.
  useEffect(() => setDraft(draftOf(workspace)), [workspace]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setSaved(false);
  };

  // After a refused save, each message goes away as soon as its field is put right.
  const showingProblems = Object.keys(fieldErrors).length > 0;
  useEffect(() => {
    if (showingProblems) setFieldErrors(problemsOf(draft));
  }, [draft, showingProblems]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems = problemsOf(draft);
    setFieldErrors(problems);
    if (Object.keys(problems).length > 0) {
      setSaved(false);
      setError('Some settings need a change before they can be saved: see the messages in red.');
      requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    await save(async () => {
      await client.invoke('workspace.update', {
        workspaceId: workspace.id,
        patch: { name: draft.name, defaultCountry: draft.defaultCountry, botMode: draft.botMode },
      });
      await client.invoke('workspace.updateSettings', {
        workspaceId: workspace.id,
        settings: settingsOf(draft),
      });
      await reloadWorkspaces();
    });
  };
  return { draft, set, fieldErrors, form, submit, busy, error, saved };
}

type SetDraft = <K extends keyof Draft>(key: K, value: Draft[K]) => void;

/** How this business is answered, when a person takes over, and (desktop) this computer's settings. */
export function Settings() {
  const workspace = useWorkspace();
  const { draft, set, fieldErrors, form, submit, busy, error, saved } = useSettingsForm();

  return (
    <>
      <PageHeader title="Settings" subtitle={`How Switchboard works for ${workspace.name}.`} />
      <form ref={form} className="settings" onSubmit={(e) => void submit(e)} aria-label="Business settings">
        <BusinessSection draft={draft} set={set} />
        <AnsweringSection draft={draft} set={set} />
        <MessagesSection
          business={draft.name}
          draft={draft.messages}
          hours={draft.hours}
          errors={fieldErrors}
          onChange={(messages) => set('messages', messages)}
          onHoursChange={(hours) => set('hours', hours)}
        />
        <HandoffSection draft={draft} set={set} />
        <OpeningHoursSection
          draft={draft.hours}
          errors={fieldErrors}
          onChange={(next) => set('hours', next)}
        />
        <PacingSection draft={draft.pacing} errors={fieldErrors} onChange={(next) => set('pacing', next)} />
        <MediaSection draft={draft.media} errors={fieldErrors} onChange={(next) => set('media', next)} />

        <FormError error={error} />
        <div className="settings__save">
          {saved && (
            <span className="saved" role="status">
              <Icon name="check" size={18} /> Saved
            </span>
          )}
          <button className="button button--primary" type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save changes'}
          </button>
        </div>
      </form>
      <NotificationsSection />
      <AiSettings />
      <CentralSync />
      <Backups />
      <ThisComputer />
    </>
  );
}

function BusinessSection({ draft, set }: { draft: Draft; set: SetDraft }) {
  return (
    <section className="card settings__section">
      <h2 className="card__title card__title--small">Business</h2>
      <div className="field-row">
        <TextField
          className="field--grow"
          label="Business name"
          name="businessName"
          value={draft.name}
          onValue={(name) => set('name', name)}
          required
          maxLength={200}
        />
        <CountryField value={draft.defaultCountry} onChange={(code) => set('defaultCountry', code)} />
      </div>
    </section>
  );
}

function AnsweringSection({ draft, set }: { draft: Draft; set: SetDraft }) {
  return (
    <section className="card settings__section">
      <h2 className="card__title card__title--small">Answering customers</h2>
      <BotModeChoice legend="Bot mode" value={draft.botMode} onChange={(mode) => set('botMode', mode)} />
      <Field
        label={
          <>
            FAQ match threshold <span className="value-pill">{Math.round(draft.threshold * 100)}%</span>
          </>
        }
        hint="How sure Switchboard must be that a message is one of your FAQs before it answers. Higher means fewer, safer answers; the rest go to you."
      >
        {(control) => (
          <input
            {...control}
            className="range"
            type="range"
            name="threshold"
            min={0.3}
            max={0.95}
            step={0.05}
            value={draft.threshold}
            onChange={(e) => set('threshold', Number(e.target.value))}
          />
        )}
      </Field>
      <ClarifySection draft={draft.clarify} onChange={(clarify) => set('clarify', clarify)} />
    </section>
  );
}

function HandoffSection({ draft, set }: { draft: Draft; set: SetDraft }) {
  return (
    <section className="card settings__section">
      <h2 className="card__title card__title--small">Handing over to you</h2>
      <div className="field">
        <span className="field__label" id="keywords-label">
          Hand-off words
        </span>
        <KeywordEditor keywords={draft.keywords} onChange={(k) => set('keywords', k)} />
        <span className="field__hint">
          When a customer writes one of these, the bot steps back and the chat waits for you.
        </span>
      </div>
      {MINUTE_FIELDS.map((f) => (
        <MinutesField
          key={f.name}
          {...f}
          value={draft[f.name]}
          onChange={(minutes) => set(f.name, minutes)}
        />
      ))}
    </section>
  );
}

/** The hand-off's two times, each a number of minutes in the draft. */
const MINUTE_FIELDS: readonly {
  name: 'ownerPauseMinutes' | 'remindAfterMinutes';
  label: string;
  hint: string;
}[] = [
  {
    name: 'ownerPauseMinutes',
    label: 'Quiet time after you reply',
    hint: 'When you answer a chat from your phone, the bot stays quiet in that chat for this long.',
  },
  {
    name: 'remindAfterMinutes',
    label: 'Remind me after',
    hint: 'A chat still waiting for you after this long is notified again, every time this long passes, until you answer it. 0 turns reminders off.',
  },
];

/** A number of minutes from 0 to a day. */
function MinutesField(props: {
  label: string;
  hint: string;
  name: string;
  value: number;
  onChange: (minutes: number) => void;
}) {
  return (
    <Field className="field--narrow" label={props.label} hint={props.hint}>
      {(control) => (
        <span className="input-suffix">
          <input
            {...control}
            className="input"
            type="number"
            name={props.name}
            min={0}
            max={1440}
            step={1}
            value={props.value}
            onChange={(e) => props.onChange(Number(e.target.value))}
          />
          <span className="input-suffix__text">minutes</span>
        </span>
      )}
    </Field>
  );
}

function KeywordEditor({ keywords, onChange }: { keywords: string[]; onChange: (next: string[]) => void }) {
  const [text, setText] = useState('');
  const add = () => {
    const word = text.trim();
    if (word === '' || keywords.some((k) => k.toLocaleLowerCase() === word.toLocaleLowerCase())) {
      setText('');
      return;
    }
    onChange([...keywords, word]);
    setText('');
  };
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      add();
    } else if (event.key === 'Backspace' && text === '' && keywords.length > 0) {
      onChange(keywords.slice(0, -1));
    }
  };
  return (
    <div className="chips-input" aria-labelledby="keywords-label">
      {keywords.map((k) => (
        <span key={k} className="chip chip--removable">
          {k}
          <button
            type="button"
            aria-label={`Remove ${k}`}
            onClick={() => onChange(keywords.filter((x) => x !== k))}
          >
            ×
          </button>
        </span>
      ))}
      <input
        className="chips-input__input"
        value={text}
        maxLength={50}
        placeholder={keywords.length === 0 ? 'e.g. manager' : 'Add a word…'}
        aria-label="Add a hand-off word"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKey}
        onBlur={add}
      />
    </div>
  );
}
