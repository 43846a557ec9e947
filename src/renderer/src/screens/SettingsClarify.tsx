import { useId } from 'react';
import { EnabledSwitch, type SwitchWords } from './SettingsSection';

export interface ClarifyDraft {
  enabled: boolean;
  waitMinutes: number;
}

const WAITS = [5, 10, 15, 30, 60, 120];

const CLARIFY_SWITCH: SwitchWords = {
  title: 'Ask when unsure',
  hint: 'When a message could be one of two or three FAQs, ask the customer: “Do you mean 1) Delivery to Lekki or 2) Delivery days? Reply 1 or 2”. Off: such messages come to you straight away.',
};

/** Settings › Bot: ask the customer which FAQ they mean when the bot is unsure between a few. */
export function ClarifySection(props: { draft: ClarifyDraft; onChange: (next: ClarifyDraft) => void }) {
  const { draft, onChange } = props;
  const id = useId();
  const waits = WAITS.includes(draft.waitMinutes)
    ? WAITS
    : [...WAITS, draft.waitMinutes].sort((a, b) => a - b);
  return (
    <div className="clarify-setting">
      <EnabledSwitch words={CLARIFY_SWITCH} name="clarify" draft={draft} onChange={onChange} />
      <div className="field">
        <label className="field__label" htmlFor={`${id}-wait`}>
          If the customer does not pick, the chat comes to you after
        </label>
        <select
          id={`${id}-wait`}
          className="input"
          name="clarifyWaitMinutes"
          disabled={!draft.enabled}
          value={draft.waitMinutes}
          onChange={(e) => onChange({ ...draft, waitMinutes: Number(e.target.value) })}
        >
          {waits.map((m) => (
            <option key={m} value={m}>
              {m < 60 ? `${m} minutes` : m === 60 ? '1 hour' : `${m / 60} hours`}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
