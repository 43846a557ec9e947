import { useState } from 'react';
import type { CloudNumberView, CloudStatus, DemoCloudNumber } from '../../../shared/contract';
import { Fact } from '../components/Fact';
import { FormError, TextField } from '../components/Field';
import { CancelAndSubmit } from '../components/FormActions';
import { formatPhone } from '../format';
import { useApp } from '../state/app-context';
import { useSubmit } from '../state/use-submit';
import './cloud-connect.css';

const QUALITY: Record<string, { label: string; tone: 'ok' | 'busy' | 'problem' }> = {
  GREEN: { label: 'High quality', tone: 'ok' },
  YELLOW: { label: 'Medium quality', tone: 'busy' },
  RED: { label: 'Low quality', tone: 'problem' },
};

/** Meta's quality rating in words, with a coloured dot. */
export function QualityRating({ rating }: { rating: string | null }) {
  const q = rating === null ? undefined : QUALITY[rating];
  return (
    <span className="cloud-quality" data-quality={rating ?? 'UNKNOWN'}>
      <span className={`dot dot--${q?.tone ?? 'busy'}`} aria-hidden="true" />
      {q?.label ?? 'Quality not rated yet'}
    </span>
  );
}

/** What the owner copies from Meta; sent as typed, checked by the core and Meta. */
interface CloudFields {
  phoneNumberId: string;
  wabaId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  graphBaseUrl: string;
  graphVersion: string;
}

/**
 * "Connect an official number": Meta's ids and a system-user token, checked live with Meta before
 * anything is saved. The result (display number, verified name, quality rating) or what to fix shows
 * in the form. The token is sent once and never comes back.
 */
export function CloudConnectForm(props: {
  workspaceId: string;
  onClose: () => void;
  onConnected?: (view: CloudNumberView) => void;
  /**
   * A connected number whose token is to be replaced (expired, revoked): its IDs and Graph settings
   * are filled in, and an app secret and verify token left empty keep the ones stored.
   */
  existing?: CloudNumberView | undefined;
}) {
  const { client, info } = useApp();
  const existing = props.existing;
  const demoNumber = existing === undefined ? info.demoCloudNumber : undefined;
  const [fields, setFields] = useState<CloudFields>({
    phoneNumberId: existing?.phoneNumberId ?? '',
    wabaId: existing?.wabaId ?? '',
    accessToken: '',
    appSecret: '',
    verifyToken: '',
    graphBaseUrl: existing?.graphBaseUrl ?? '',
    graphVersion: existing?.graphVersion ?? '',
  });
  const form: CloudForm = { fields, set: (key) => (value) => setFields((f) => ({ ...f, [key]: value })) };
  const [connected, setConnected] = useState<CloudNumberView | null>(null);
  // Demo mode: the simulated official number's values, as they would be copied from Meta. The Graph
  // address stays empty: demo mode's default is the local simulator, wherever it listens next time.
  const fillDemoNumber = (demo: DemoCloudNumber) =>
    setFields((f) => ({
      ...f,
      phoneNumberId: demo.phoneNumberId,
      wabaId: demo.wabaId,
      accessToken: demo.accessToken,
      appSecret: demo.appSecret,
      verifyToken: demo.verifyToken,
    }));

  const { busy, error, submit } = useSubmit(async () => {
    setConnected(null);
    const view = await client.invoke('cloud.connect', { workspaceId: props.workspaceId, ...fields });
    setFields((f) => ({ ...f, accessToken: '', appSecret: '' }));
    setConnected(view);
    props.onConnected?.(view);
  });

  if (connected !== null) return <CloudConnected view={connected} onClose={props.onClose} />;

  return (
    <form
      className="card form cloud-connect"
      onSubmit={submit}
      aria-label={existing === undefined ? 'Connect an official number' : 'Update the access token'}
    >
      <CloudConnectIntro existing={existing} />
      {demoNumber !== undefined && (
        <DemoNumberNote demo={demoNumber} onUse={() => fillDemoNumber(demoNumber)} />
      )}
      <CloudIdFields form={form} replacing={existing !== undefined} />
      <WebhookFields keepsStored={existing?.takesWebhooks === true} form={form} />
      <FormError error={error} />
      <CancelAndSubmit busy={busy} onCancel={props.onClose}>
        {busy ? 'Checking with Meta…' : existing === undefined ? 'Check and connect' : 'Check and save'}
      </CancelAndSubmit>
    </form>
  );
}

/** What Meta confirmed: the number as it shows, its verified name and quality rating. */
function CloudConnected({ view, onClose }: { view: CloudNumberView; onClose: () => void }) {
  return (
    <section className="card form cloud-connect" aria-label="Connect an official number">
      <div className="notice notice--ok" role="status">
        <strong>Connected.</strong> Meta confirmed this number; Switchboard answers it from now on.
      </div>
      <dl className="cloud-connect__facts">
        <Fact label="Number" name="display-number">
          {view.displayPhoneNumber ?? formatPhone(view.e164)}
        </Fact>
        <Fact label="Verified name" name="verified-name">
          {view.verifiedName ?? 'Not verified yet'}
        </Fact>
        <Fact label="Quality rating" name="quality">
          <QualityRating rating={view.qualityRating} />
        </Fact>
      </dl>
      <div className="form__actions">
        <button className="button button--primary" type="button" onClick={onClose}>
          Done
        </button>
      </div>
    </section>
  );
}

function CloudConnectIntro({ existing }: { existing: CloudNumberView | undefined }) {
  if (existing === undefined) {
    return (
      <>
        <h3 className="card__title card__title--small">Connect an official number (WhatsApp Cloud API)</h3>
        <p className="muted">
          For a number on Meta&rsquo;s WhatsApp Business Platform: no phone or QR code needed. Copy the IDs
          from WhatsApp Manager and a system-user token from Meta Business Settings. Switchboard checks them
          with Meta before saving.
        </p>
      </>
    );
  }
  return (
    <>
      <h3 className="card__title card__title--small">New access token for {formatPhone(existing.e164)}</h3>
      <p className="muted">
        Meta no longer accepts the token ending in <span className="mono">…{existing.tokenHint}</span> when it
        expires or is revoked. Make a new system-user token in Meta Business Settings and paste it here:
        Switchboard checks it with Meta, then answers this number again. Its chats stay as they are.
      </p>
    </>
  );
}

/** Demo mode's simulated official number, filled in with one click. */
function DemoNumberNote(props: { demo: DemoCloudNumber; onUse: () => void }) {
  const { demo } = props;
  return (
    <div className="notice cloud-connect__demo" role="note">
      <span>
        Demo mode: Meta is simulated on this computer. Try it with the demo number{' '}
        <strong>{demo.verifiedName}</strong> ({formatPhone(demo.e164)}).
      </span>
      <button className="button button--demo" type="button" onClick={props.onUse}>
        Use the demo number
      </button>
    </div>
  );
}

type SetField = (key: keyof CloudFields) => (value: string) => void;

/** The form's values and the setter of each, handed to its boxes together. */
interface CloudForm {
  fields: CloudFields;
  set: SetField;
}

/** One of the form's boxes: which field it binds, and how its TextField shows (label, hint, limits). */
type CloudFieldSpec = { field: keyof CloudFields } & Omit<
  Parameters<typeof TextField>[0],
  'name' | 'value' | 'onValue' | 'inputClassName'
>;

const ID_FIELDS: readonly CloudFieldSpec[] = [
  {
    field: 'phoneNumberId',
    className: 'field--grow',
    label: 'Phone number ID',
    hint: 'Not the phone number: the long ID beside it.',
    inputMode: 'numeric',
    required: true,
    maxLength: 30,
  },
  {
    field: 'wabaId',
    className: 'field--grow',
    label: 'WhatsApp Business Account ID',
    inputMode: 'numeric',
    required: true,
    maxLength: 30,
  },
];

const TOKEN_FIELD: CloudFieldSpec = {
  field: 'accessToken',
  label: 'Access token',
  hint: 'Stored encrypted on this computer; never shown again.',
  type: 'password',
  autoComplete: 'off',
  spellCheck: false,
  required: true,
  maxLength: 2000,
};

const WEBHOOK_FIELDS: readonly CloudFieldSpec[] = [
  {
    field: 'appSecret',
    className: 'field--grow',
    label: 'App secret (optional)',
    type: 'password',
    autoComplete: 'off',
    maxLength: 200,
  },
  {
    field: 'verifyToken',
    className: 'field--grow',
    label: 'Verify token (optional)',
    autoComplete: 'off',
    maxLength: 200,
  },
];

const GRAPH_FIELDS: readonly CloudFieldSpec[] = [
  {
    field: 'graphBaseUrl',
    className: 'field--grow',
    label: 'Graph API address',
    hint: 'Default https://graph.facebook.com',
    type: 'url',
    maxLength: 300,
  },
  { field: 'graphVersion', label: 'Graph API version', hint: 'e.g. v25.0', maxLength: 10 },
];

/** A monospaced box for one of the form's fields, named and bound by that field's key. */
function CloudField(props: { spec: CloudFieldSpec; form: CloudForm; autoFocus?: boolean }) {
  const { field, ...rest } = props.spec;
  return (
    <TextField
      {...rest}
      autoFocus={props.autoFocus}
      inputClassName="input mono"
      name={field}
      value={props.form.fields[field]}
      onValue={props.form.set(field)}
    />
  );
}

/** A row of boxes side by side; `focus` names the one the cursor starts in, if any. */
function CloudFieldRow(props: {
  specs: readonly CloudFieldSpec[];
  form: CloudForm;
  focus?: keyof CloudFields;
}) {
  return (
    <div className="field-row">
      {props.specs.map((spec) => (
        <CloudField key={spec.field} spec={spec} form={props.form} autoFocus={spec.field === props.focus} />
      ))}
    </div>
  );
}

/** The number's IDs and the access token. */
function CloudIdFields(props: {
  form: CloudForm;
  /** A token for a connected number: the cursor starts in the token box. */
  replacing: boolean;
}) {
  const { form, replacing } = props;
  return (
    <>
      <CloudFieldRow specs={ID_FIELDS} form={form} focus={replacing ? undefined : 'phoneNumberId'} />
      <CloudField spec={TOKEN_FIELD} form={form} autoFocus={replacing} />
    </>
  );
}

/** Only for a computer that receives Meta's webhooks itself, and the Graph API's address and version. */
function WebhookFields(props: { keepsStored: boolean; form: CloudForm }) {
  return (
    <details className="cloud-connect__more">
      <summary>Webhooks on this computer and advanced settings</summary>
      <p className="muted">
        Only when this computer has a public address and receives Meta&rsquo;s webhooks itself. Otherwise
        leave these empty.
        {props.keepsStored && ' Left empty, the app secret and verify token stored stay.'}
      </p>
      <CloudFieldRow specs={WEBHOOK_FIELDS} form={props.form} />
      <CloudFieldRow specs={GRAPH_FIELDS} form={props.form} />
    </details>
  );
}

/** One line: what the Cloud numbers' messages cost this month, beside the AI's spend. */
export function CloudSpendLine({ status, aiMonthUsd }: { status: CloudStatus; aiMonthUsd: number | null }) {
  if (status.numbers.length === 0) return null;
  const { monthMessages, monthBillable, billableByCategory } = status.spend;
  const categories = Object.entries(billableByCategory)
    .map(([category, n]) => `${n} ${category}`)
    .join(', ');
  return (
    <p className="muted cloud-spend" data-testid="cloud-spend">
      WhatsApp Cloud this month: {monthMessages} message{monthMessages === 1 ? '' : 's'} priced,{' '}
      {monthBillable === 0 ? 'none billable' : `${monthBillable} billable by Meta (${categories})`}
      {aiMonthUsd !== null && <> · AI answers this month: ${aiMonthUsd.toFixed(2)}</>}
    </p>
  );
}
