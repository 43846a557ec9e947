import type { SettingsPatchInput } from '../../../shared/contract';
import { parseDays, parseMegabytes } from '../../../shared/quantity-input';
import type { WorkspaceSettings } from '../../../shared/settings';
import type { FieldErrors } from './settings-schedule';
import { NumberField, SwitchRow } from '../components/Field';
import { SettingsSection, type SectionProps } from './SettingsSection';

/**
 * Settings › Photos and files from customers: the media store's caps and how long files are kept.
 * Values stay as typed; what cannot be read is refused next to its field in words, and keeping files
 * for ever is a choice of its own, so no typo (an empty box, a 0) can lift a limit.
 */
export interface MediaDraft {
  maxFile: string;
  /** Shown in GB, the unit an owner thinks of a disk in. */
  maxSpace: string;
  retention: string;
  keepForever: boolean;
}

const LABELS = {
  maxFileMb: 'Largest file',
  maxWorkspaceMb: 'Space for files',
  retentionDays: 'Keep files for',
} as const;

const DEFAULT_RETENTION_DAYS = 365;

const gigabytes = (mb: number) =>
  mb % 1024 === 0 || mb >= 1024 ? String(Math.round((mb / 1024) * 100) / 100) : `${mb} MB`;

export function mediaDraftOf(settings: WorkspaceSettings): MediaDraft {
  const m = settings.media;
  return {
    maxFile: String(m.maxFileMb),
    maxSpace: gigabytes(m.maxWorkspaceMb),
    retention: String(m.retentionDays === 0 ? DEFAULT_RETENTION_DAYS : m.retentionDays),
    keepForever: m.retentionDays === 0,
  };
}

function readAll(draft: MediaDraft) {
  return {
    maxFileMb: parseMegabytes(draft.maxFile, 'MB'),
    maxWorkspaceMb: parseMegabytes(draft.maxSpace, 'GB'),
    retentionDays: draft.keepForever ? 0 : parseDays(draft.retention),
  };
}

/** The stored shape; a value that cannot be read is NaN, which the contract's schema refuses too. */
export function mediaPatch(draft: MediaDraft): Pick<SettingsPatchInput, 'media'> {
  const read = readAll(draft);
  const number = (v: number | string) => (typeof v === 'number' ? v : Number.NaN);
  return {
    media: {
      maxFileMb: number(read.maxFileMb),
      maxWorkspaceMb: number(read.maxWorkspaceMb),
      retentionDays: number(read.retentionDays),
    },
  };
}

/** What the typed text itself gets wrong, in words (the schema then checks the ranges). */
export function mediaProblems(draft: MediaDraft): FieldErrors {
  const read = readAll(draft);
  const errors: Record<string, string> = {};
  for (const key of Object.keys(LABELS) as (keyof typeof LABELS)[]) {
    const value = read[key];
    if (typeof value === 'string') errors[`media.${key}`] = `${LABELS[key]} ${value}`;
  }
  if (read.retentionDays === 0 && !draft.keepForever) {
    errors['media.retentionDays'] =
      'Keep files for must be at least 1 day. To keep files for ever, tick “Keep files for ever”.';
  }
  return errors;
}

/** One number box of the section: which label and stored key, which draft text, in which unit. */
interface LimitField {
  name: keyof typeof LABELS;
  draft: 'maxFile' | 'maxSpace' | 'retention';
  suffix: string;
  hint: string;
}

const LIMITS: readonly LimitField[] = [
  {
    name: 'maxFileMb',
    draft: 'maxFile',
    suffix: 'MB',
    hint: 'A larger file is not downloaded: the chat says so, with “Download anyway”.',
  },
  {
    name: 'maxWorkspaceMb',
    draft: 'maxSpace',
    suffix: 'GB',
    hint: 'All of this business’s files together. When they fill it, new files are not downloaded.',
  },
];

const RETENTION: LimitField = {
  name: 'retentionDays',
  draft: 'retention',
  suffix: 'days',
  hint: 'Older files are deleted when Switchboard starts. The messages and captions stay.',
};

export function MediaSection({ draft, errors, onChange }: SectionProps<MediaDraft>) {
  const limitField = (f: LimitField) => (
    <NumberField
      key={f.name}
      className="pacing__field"
      label={LABELS[f.name]}
      units
      suffix={f.suffix}
      name={f.name}
      value={draft[f.draft]}
      error={errors[`media.${f.name}`]}
      hint={f.hint}
      onChange={(v) => onChange({ ...draft, [f.draft]: v })}
    />
  );
  return (
    <SettingsSection title="Photos and files from customers">
      <p className="muted">
        Photos, voice notes, videos and documents are saved on this computer, in Switchboard&rsquo;s data
        folder. These limits keep them from filling the disk.
      </p>
      <div className="pacing">
        <div className="field-row">{LIMITS.map((f) => limitField(f))}</div>
        {/* Kept for ever: no number of days applies, so none is shown. */}
        {!draft.keepForever && <div className="field-row">{limitField(RETENTION)}</div>}
      </div>
      <SwitchRow
        title="Keep files for ever"
        hint="Only the space limit above then stops new files."
        name="keepForever"
        checked={draft.keepForever}
        onChange={(keepForever) => onChange({ ...draft, keepForever })}
      />
    </SettingsSection>
  );
}
