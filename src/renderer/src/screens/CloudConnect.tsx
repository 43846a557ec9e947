import { useState, type FormEvent } from 'react';
import type { CloudNumberView, CloudStatus } from '../../../shared/contract';
import { Field } from '../components/Field';
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
  const [phoneNumberId, setPhoneNumberId] = useState(existing?.phoneNumberId ?? '');
  const [wabaId, setWabaId] = useState(existing?.wabaId ?? '');
  const [accessToken, setAccessToken] = useState('');
  const [appSecret, setAppSecret] = useState('');
  const [verifyToken, setVerifyToken] = useState('');
  const [graphBaseUrl, setGraphBaseUrl] = useState(existing?.graphBaseUrl ?? '');
  const [graphVersion, setGraphVersion] = useState(existing?.graphVersion ?? '');
  const [connected, setConnected] = useState<CloudNumberView | null>(null);
  // Demo mode: the simulated official number's values, as they would be copied from Meta. The Graph
  // address stays empty: demo mode's default is the local simulator, wherever it listens next time.
  const fillDemoNumber = () => {
    if (demoNumber === undefined) return;
    setPhoneNumberId(demoNumber.phoneNumberId);
    setWabaId(demoNumber.wabaId);
    setAccessToken(demoNumber.accessToken);
    setAppSecret(demoNumber.appSecret);
    setVerifyToken(demoNumber.verifyToken);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setConnected(null);
    await run(async () => {
      const view = await client.invoke('cloud.connect', {
        workspaceId: props.workspaceId,
        phoneNumberId,
        wabaId,
        accessToken,
        appSecret,
        verifyToken,
        graphBaseUrl,
        graphVersion,
      });
      setAccessToken('');
      setAppSecret('');
      setConnected(view);
      props.onConnected?.(view);
    });
  };

  if (connected !== null) {
    return (
      <section className="card form cloud-connect" aria-label="Connect an official number">
        <div className="notice notice--ok" role="status">
          <strong>Connected.</strong> Meta confirmed this number; Switchboard answers it from now on.
        </div>
        <dl className="cloud-connect__facts">
          <div>
            <dt>Number</dt>
            <dd data-fact="display-number">{connected.displayPhoneNumber ?? formatPhone(connected.e164)}</dd>
          </div>
          <div>
            <dt>Verified name</dt>
            <dd data-fact="verified-name">{connected.verifiedName ?? 'Not verified yet'}</dd>
          </div>
          <div>
            <dt>Quality rating</dt>
            <dd data-fact="quality">
              <QualityRating rating={connected.qualityRating} />
            </dd>
          </div>
        </dl>
        <div className="form__actions">
          <button className="button button--primary" type="button" onClick={props.onClose}>
            Done
          </button>
        </div>
      </section>
    );
  }

  return (
    <form
      className="card form cloud-connect"
      onSubmit={(e) => void submit(e)}
      aria-label={existing === undefined ? 'Connect an official number' : 'Update the access token'}
    >
      {existing === undefined ? (
        <>
          <h3 className="card__title card__title--small">Connect an official number (WhatsApp Cloud API)</h3>
          <p className="muted">
            For a number on Meta&rsquo;s WhatsApp Business Platform: no phone or QR code needed. Copy the IDs
            from WhatsApp Manager and a system-user token from Meta Business Settings. Switchboard checks them
            with Meta before saving.
          </p>
        </>
      ) : (
        <>
          <h3 className="card__title card__title--small">
            New access token for {formatPhone(existing.e164)}
          </h3>
          <p className="muted">
            Meta no longer accepts the token ending in <span className="mono">…{existing.tokenHint}</span>{' '}
            when it expires or is revoked. Make a new system-user token in Meta Business Settings and paste it
            here: Switchboard checks it with Meta, then answers this number again. Its chats stay as they are.
          </p>
        </>
      )}
      {demoNumber !== undefined && (
        <div className="notice cloud-connect__demo" role="note">
          <span>
            Demo mode: Meta is simulated on this computer. Try it with the demo number{' '}
            <strong>{demoNumber.verifiedName}</strong> ({formatPhone(demoNumber.e164)}).
          </span>
          <button className="button button--demo" type="button" onClick={fillDemoNumber}>
            Use the demo number
          </button>
        </div>
      )}
      <div className="field-row">
        <Field
          className="field--grow"
          label="Phone number ID"
          hint="Not the phone number: the long ID beside it."
        >
          {(control) => (
            <input
              {...control}
              className="input mono"
              name="phoneNumberId"
              inputMode="numeric"
              value={phoneNumberId}
              onChange={(e) => setPhoneNumberId(e.target.value)}
              required
              maxLength={30}
              autoFocus={existing === undefined}
            />
          )}
        </Field>
        <Field className="field--grow" label="WhatsApp Business Account ID">
          {(control) => (
            <input
              {...control}
              className="input mono"
              name="wabaId"
              inputMode="numeric"
              value={wabaId}
              onChange={(e) => setWabaId(e.target.value)}
              required
              maxLength={30}
            />
          )}
        </Field>
      </div>
      <Field label="Access token" hint="Stored encrypted on this computer; never shown again.">
        {(control) => (
          <input
            {...control}
            className="input mono"
            name="accessToken"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={accessToken}
            onChange={(e) => setAccessToken(e.target.value)}
            required
            maxLength={2000}
            autoFocus={existing !== undefined}
          />
        )}
      </Field>
      <details className="cloud-connect__more">
        <summary>Webhooks on this computer and advanced settings</summary>
        <p className="muted">
          Only when this computer has a public address and receives Meta&rsquo;s webhooks itself. Otherwise
          leave these empty.
          {existing?.takesWebhooks === true && ' Left empty, the app secret and verify token stored stay.'}
        </p>
        <div className="field-row">
          <Field className="field--grow" label="App secret (optional)">
            {(control) => (
              <input
                {...control}
                className="input mono"
                name="appSecret"
                type="password"
                autoComplete="off"
                value={appSecret}
                onChange={(e) => setAppSecret(e.target.value)}
                maxLength={200}
              />
            )}
          </Field>
          <Field className="field--grow" label="Verify token (optional)">
            {(control) => (
              <input
                {...control}
                className="input mono"
                name="verifyToken"
                autoComplete="off"
                value={verifyToken}
                onChange={(e) => setVerifyToken(e.target.value)}
                maxLength={200}
              />
            )}
          </Field>
        </div>
        <div className="field-row">
          <Field className="field--grow" label="Graph API address" hint="Default https://graph.facebook.com">
            {(control) => (
              <input
                {...control}
                className="input mono"
                name="graphBaseUrl"
                type="url"
                value={graphBaseUrl}
                onChange={(e) => setGraphBaseUrl(e.target.value)}
                maxLength={300}
              />
            )}
          </Field>
          <Field label="Graph API version" hint="e.g. v25.0">
            {(control) => (
              <input
                {...control}
                className="input mono"
                name="graphVersion"
                value={graphVersion}
                onChange={(e) => setGraphVersion(e.target.value)}
                maxLength={10}
              />
            )}
          </Field>
        </div>
      </details>
      {error !== null && (
        <p className="notice notice--problem" role="alert">
          {error}
        </p>
      )}
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
