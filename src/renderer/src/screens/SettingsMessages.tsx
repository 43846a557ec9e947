import { useId } from 'react';
import { SwitchRow } from '../components/Field';
import { fillReplyText, hoursToday } from '../../../shared/reply-text';
import type { WorkspaceSettings } from '../../../shared/settings';
import { hoursPatch, type FieldErrors, type HoursDraft } from './settings-schedule';
import { SettingsSection } from './SettingsSection';

/** The owner's own words to customers: the greeting, the away message and the hand-off notice. */
export interface MessagesDraft {
  greetingEnabled: boolean;
  greeting: string;
  handoffEnabled: boolean;
  handoffMessage: string;
}

const MAX = 1000;

export const messagesDraftOf = (settings: WorkspaceSettings): MessagesDraft => ({
  greetingEnabled: settings.greeting.enabled,
  greeting: settings.greeting.text,
  handoffEnabled: settings.handoff.messageEnabled,
  handoffMessage: settings.handoff.message,
});

export const messagesPatch = (draft: MessagesDraft) => ({
  greeting: { enabled: draft.greetingEnabled, text: draft.greeting },
  handoff: { messageEnabled: draft.handoffEnabled, message: draft.handoffMessage },
});

interface MessageRowProps {
  title: string;
  when: string;
  name: string;
  enabled: boolean;
  text: string;
  error: string | undefined;
  preview: (text: string) => string;
  onChange: (enabled: boolean, text: string) => void;
}

function MessageRow(props: MessageRowProps) {
  const id = useId();
  const { title, when, name, enabled, text, error, preview, onChange } = props;
  return (
    <div className={`reply-text${enabled ? '' : ' reply-text--off'}`}>
      <SwitchRow
        title={title}
        hint={when}
        name={`${name}Enabled`}
        checked={enabled}
        onChange={(on) => onChange(on, text)}
      />
      {enabled && (
        <div className="field">
          <textarea
            id={id}
            className="input textarea"
            name={name}
            rows={2}
            maxLength={MAX}
            value={text}
            aria-label={title}
            aria-invalid={error !== undefined}
            onChange={(e) => onChange(enabled, e.target.value)}
          />
          <span className="field__hint field__hint--split">
            <span className="reply-text__preview" aria-label={`${title} as the customer reads it`}>
              Customer reads: “{preview(text)}”
            </span>
            <span>
              {text.length}/{MAX}
            </span>
          </span>
          {error !== undefined && <p className="field__error">{error}</p>}
        </div>
      )}
    </div>
  );
}

/** Settings › Messages to customers. The away message lives with the opening hours' draft. */
export function MessagesSection(props: {
  business: string;
  draft: MessagesDraft;
  hours: HoursDraft;
  errors: FieldErrors;
  onChange: (draft: MessagesDraft) => void;
  onHoursChange: (hours: HoursDraft) => void;
}) {
  const { business, draft, hours, errors, onChange, onHoursChange } = props;
  const stored = hoursPatch(hours);
  const today = hoursToday(
    {
      timezone: stored.timezone ?? 'Africa/Lagos',
      businessHours: {
        enabled: hours.enabled,
        days: stored.businessHours!.days!,
      },
    },
    Date.now(),
  );
  const preview = (text: string) => fillReplyText(text, { business, hours: today || 'your opening hours' });
  const rows: Omit<MessageRowProps, 'preview'>[] = [
    {
      title: 'Greeting',
      when: 'Sent to a customer who writes for the first time.',
      name: 'greeting',
      enabled: draft.greetingEnabled,
      text: draft.greeting,
      error: errors['greeting.text'],
      onChange: (enabled, text) => onChange({ ...draft, greetingEnabled: enabled, greeting: text }),
    },
    {
      title: 'Away message',
      when: hours.enabled
        ? 'Sent when a customer writes while you are closed, once until you open again.'
        : 'Sent while you are closed: switch on opening hours below to use it.',
      name: 'awayMessage',
      enabled: hours.awayEnabled,
      text: hours.awayMessage,
      error: errors['businessHours.awayMessage'],
      onChange: (enabled, text) => onHoursChange({ ...hours, awayEnabled: enabled, awayMessage: text }),
    },
    {
      title: 'Hand-off notice',
      when: 'Sent when a chat goes to you (outside opening hours the away message is sent instead).',
      name: 'handoffMessage',
      enabled: draft.handoffEnabled,
      text: draft.handoffMessage,
      error: errors['handoff.message'],
      onChange: (enabled, text) => onChange({ ...draft, handoffEnabled: enabled, handoffMessage: text }),
    },
  ];
  return (
    <SettingsSection title="Messages to customers">
      <p className="muted small">
        Your own words. Write <code>{'{business}'}</code> for your business name and <code>{'{hours}'}</code>{' '}
        for today&apos;s opening hours. When several go out at once (a new customer at night), they arrive as
        one message.
      </p>
      {rows.map((row) => (
        <MessageRow key={row.name} {...row} preview={preview} />
      ))}
    </SettingsSection>
  );
}
