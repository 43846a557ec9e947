import { useState, type FormEvent } from 'react';
import type { CloudNumberView, CloudStatus, DemoCloudNumber } from '../../../shared/contract';
import { FormError, TextField } from '../components/Field';
import { formatPhone } from '../format';
import { useApp } from '../state/app-context';
import { useAction } from '../state/use-action';
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
  const { busy, error, run } = useAction();
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
  const set: SetField = (key) => (value) => setFields((f) => ({ ...f, [key]: value }));
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

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setConnected(null);
    await run(async () => {
      const view = await client.invoke('cloud.connect', { workspaceId: props.workspaceId, ...fields });
      setFields((f) => ({ ...f, accessToken: '', appSecret: '' }));
      setConnected(view);
      props.onConnected?.(view);
    });
  };

  if (connected !== null) return <CloudConnected view={connected} onClose={props.onClose} />;

  return (
    <form
      className="card form cloud-connect"
      onSubmit={(e) => void submit(e)}
      aria-label={existing === undefined ? 'Connect an official number' : 'Update the access token'}
    >
      <CloudConnectIntro existing={existing} />
      {demoNumber !== undefined && (
        <DemoNumberNote demo={demoNumber} onUse={() => fillDemoNumber(demoNumber)} />
      )}
      <CloudIdFields fields={fields} set={set} replacing={existing !== undefined} />
      <WebhookFields keepsStored={existing?.takesWebhooks === true} fields={fields} set={set} />
      <FormError error={error} />
      <div className="form__actions">
        <button className="button button--ghost" type="button" onClick={props.onClose}>
          Cancel
        </button>
        <button className="button button--primary" type="submit" disabled={busy}>
          {busy ? 'Checking with Meta…' : existing === undefined ? 'Check and connect' : 'Check and save'}
        </button>
      </div>
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
        <div>
          <dt>Number</dt>
          <dd data-fact="display-number">{view.displayPhoneNumber ?? formatPhone(view.e164)}</dd>
        </div>
        <div>
          <dt>Verified name</dt>
          <dd data-fact="verified-name">{view.verifiedName ?? 'Not verified yet'}</dd>
        </div>
        <div>
          <dt>Quality rating</dt>
          <dd data-fact="quality">
            <QualityRating rating={view.qualityRating} />
          </dd>
        </div>
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

/** A monospaced box for one of the form's fields, named and bound by that field's key. */
function CloudField(
  props: { field: keyof CloudFields; fields: CloudFields; set: SetField } & Omit<
    Parameters<typeof TextField>[0],
    'name' | 'value' | 'onValue' | 'inputClassName'
  >,
) {
  const { field, fields, set, ...rest } = props;
  return (
    <TextField
      {...rest}
      inputClassName="input mono"
      name={field}
      value={fields[field]}
      onValue={set(field)}
    />
  );
}

/** The number's IDs and the access token. */
function CloudIdFields(props: {
  fields: CloudFields;
  set: SetField;
  /** A token for a connected number: the cursor starts in the token box. */
  replacing: boolean;
}) {
  return (
    <>
      <div className="field-row">
        <CloudField
          field="phoneNumberId"
          fields={props.fields}
          set={props.set}
          className="field--grow"
          label="Phone number ID"
          hint="Not the phone number: the long ID beside it."
          inputMode="numeric"
          required
          maxLength={30}
          autoFocus={!props.replacing}
        />
        <CloudField
          field="wabaId"
          fields={props.fields}
          set={props.set}
          className="field--grow"
          label="WhatsApp Business Account ID"
          inputMode="numeric"
          required
          maxLength={30}
        />
      </div>
      <CloudField
        field="accessToken"
        fields={props.fields}
        set={props.set}
        label="Access token"
        hint="Stored encrypted on this computer; never shown again."
        type="password"
        autoComplete="off"
        spellCheck={false}
        required
        maxLength={2000}
        autoFocus={props.replacing}
      />
    </>
  );
}

/** Only for a computer that receives Meta's webhooks itself, and the Graph API's address and version. */
function WebhookFields(props: { keepsStored: boolean; fields: CloudFields; set: SetField }) {
  return (
    <details className="cloud-connect__more">
      <summary>Webhooks on this computer and advanced settings</summary>
      <p className="muted">
        Only when this computer has a public address and receives Meta&rsquo;s webhooks itself. Otherwise
        leave these empty.
        {props.keepsStored && ' Left empty, the app secret and verify token stored stay.'}
      </p>
      <div className="field-row">
        <CloudField
          field="appSecret"
          fields={props.fields}
          set={props.set}
          className="field--grow"
          label="App secret (optional)"
          type="password"
          autoComplete="off"
          maxLength={200}
        />
        <CloudField
          field="verifyToken"
          fields={props.fields}
          set={props.set}
          className="field--grow"
          label="Verify token (optional)"
          autoComplete="off"
          maxLength={200}
        />
      </div>
      <div className="field-row">
        <CloudField
          field="graphBaseUrl"
          fields={props.fields}
          set={props.set}
          className="field--grow"
          label="Graph API address"
          hint="Default https://graph.facebook.com"
          type="url"
          maxLength={300}
        />
        <CloudField
          field="graphVersion"
          fields={props.fields}
          set={props.set}
          label="Graph API version"
          hint="e.g. v25.0"
          maxLength={10}
        />
      </div>
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
