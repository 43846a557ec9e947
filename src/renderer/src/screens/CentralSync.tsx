import { useState } from 'react';
import type { SyncPhase, SyncStatus } from '../../../shared/contract';
import { sendsInClear } from '../../../shared/sync-contract';
import { ConfirmButtons } from '../components/ConfirmButtons';
import { Fact } from '../components/Fact';
import { FormError, SwitchRow, TextField } from '../components/Field';
import { Badge } from '../components/StatusBadge';
import { formatCountdown, formatTime, type Tone } from '../format';
import { useApp, useNow, useWorkspace } from '../state/app-context';
import { useAction } from '../state/use-action';
import { useSubmit } from '../state/use-submit';
import { useWorkspaceStatus } from '../state/use-workspace-status';

/** How each sync phase reads on screen. */
const PHASE_VIEW: Record<SyncPhase, { label: string; tone: Tone }> = {
  off: { label: 'Off', tone: 'idle' },
  idle: { label: 'Up to date', tone: 'ok' },
  pushing: { label: 'Sending', tone: 'busy' },
  'catching-up': { label: 'Catching up', tone: 'busy' },
  retrying: { label: 'Waiting to retry', tone: 'problem' },
  'needs-attention': { label: 'Needs attention', tone: 'problem' },
};

/**
 * Settings › Central sync: enroll this business with the central team's server (address + one-time
 * code), see whether its activity log is getting there, choose whether message texts go too, leave.
 */
export function CentralSync() {
  const { client } = useApp();
  const workspace = useWorkspace();
  const {
    status,
    set: setStatus,
    loadError,
  } = useWorkspaceStatus((workspaceId) => client.invoke('sync.status', { workspaceId }), 'sync.changed');

  return (
    <section className="card settings__section central-sync" aria-labelledby="central-sync-title">
      <div className="central-sync__head">
        <h2 className="card__title card__title--small" id="central-sync-title">
          Central sync
        </h2>
        {status !== null && <Badge view={PHASE_VIEW[status.phase]} data={{ 'data-phase': status.phase }} />}
      </div>
      <FormError error={loadError} />
      {status === null ? (
        loadError === null && <p className="muted">Loading…</p>
      ) : !status.enrolled ? (
        <>
          <p className="muted">
            Send this business&apos;s activity log to your organisation&apos;s central server, so the central
            team can follow every shop in one place. Your administrator gives you the server address and a
            one-time code. Switchboard keeps working the same if the server cannot be reached; the log waits
            here.
          </p>
          <EnrollForm workspaceId={workspace.id} initialUrl="" onEnrolled={setStatus} />
        </>
      ) : (
        <SyncDetails status={status} onChange={setStatus} />
      )}
    </section>
  );
}

function EnrollForm(props: {
  workspaceId: string;
  initialUrl: string;
  again?: boolean;
  onEnrolled: (status: SyncStatus) => void;
}) {
  const { client } = useApp();
  const [serverUrl, setServerUrl] = useState(props.initialUrl);
  const [code, setCode] = useState('');
  const [insecure, setInsecure] = useState(false);
  const inClear = sendsInClear(serverUrl.trim());

  const { busy, error, submit } = useSubmit(async () => {
    const status = await client.invoke('sync.enroll', {
      workspaceId: props.workspaceId,
      serverUrl,
      code,
      ...(inClear && insecure && { allowInsecure: true }),
    });
    setCode('');
    props.onEnrolled(status);
  });

  return (
    <form
      className="central-sync__form"
      aria-label={props.again === true ? 'Enroll again' : 'Enroll with a central server'}
      onSubmit={submit}
    >
      <div className="field-row">
        <TextField
          className="field--grow"
          label="Server address"
          hint="Starts with https:// (plain http:// only to this computer, or after the warning below)."
          type="url"
          name="serverUrl"
          inputMode="url"
          autoComplete="url"
          placeholder="https://central.example.com"
          value={serverUrl}
          onValue={setServerUrl}
          required
          maxLength={500}
        />
        <TextField
          label="Enrollment code"
          hint="Letters and digits, like 7KQ2-M9XD-4TNB-H3WE."
          inputClassName="input central-sync__code"
          name="code"
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="characters"
          placeholder="XXXX-XXXX-XXXX-XXXX"
          value={code}
          onValue={setCode}
          required
          maxLength={64}
        />
      </div>
      {inClear && <InsecureWarning insecure={insecure} onInsecure={setInsecure} />}
      <FormError error={error} />
      <div className="settings__save">
        <button className="button button--primary" type="submit" disabled={busy || (inClear && !insecure)}>
          {busy ? 'Connecting…' : props.again === true ? 'Enroll again' : 'Connect to central server'}
        </button>
      </div>
    </form>
  );
}

/** A plain http:// address to another computer: what that exposes, and the owner's explicit consent. */
function InsecureWarning(props: { insecure: boolean; onInsecure: (insecure: boolean) => void }) {
  return (
    <div className="notice notice--problem" data-warning="insecure">
      <p>
        This address is plain <span className="mono">http://</span> on another computer: the enrollment code,
        this computer&apos;s key and the log would cross the network unencrypted, readable by anyone on the
        way. Ask your administrator for the <span className="mono">https://</span> address.
      </p>
      <label className="checkbox">
        <input
          type="checkbox"
          name="allowInsecure"
          checked={props.insecure}
          onChange={(e) => props.onInsecure(e.target.checked)}
        />{' '}
        Send over plain http anyway: this network is mine alone (recorded in the activity log)
      </label>
    </div>
  );
}

function SyncDetails({ status, onChange }: { status: SyncStatus; onChange: (status: SyncStatus) => void }) {
  const { client } = useApp();
  const share = useAction();
  const workspaceId = status.workspaceId;

  // Shown switched at once; back as it was if the core refuses.
  const [shareDraft, setShareDraft] = useState<boolean | null>(null);
  const setShare = async (shareMessageText: boolean) => {
    setShareDraft(shareMessageText);
    await share.run(async () =>
      onChange(await client.invoke('sync.update', { workspaceId, shareMessageText })),
    );
    setShareDraft(null);
  };

  return (
    <>
      <p className="central-sync__target">
        Sending to <strong>{status.centralWorkspaceName}</strong> at{' '}
        <span className="mono">{status.serverUrl}</span>
      </p>
      <SyncProgress status={status} />
      {status.phase === 'needs-attention' && (
        <EnrollForm
          workspaceId={workspaceId}
          initialUrl={status.serverUrl ?? ''}
          again
          onEnrolled={onChange}
        />
      )}
      <SwitchRow
        title="Share message texts"
        hint="Off: the central team sees what happened (a message came in, the bot answered, a chat was handed to you) but not what customers wrote. On: the words of each message go too."
        checked={shareDraft ?? status.shareMessageText}
        disabled={share.busy}
        onChange={(on) => void setShare(on)}
      />
      {share.error !== null && <p className="field__error">{share.error}</p>}
      <LeaveSync workspaceId={workspaceId} onChange={onChange} />
    </>
  );
}

/** When the log last got there, what waits, the catch-up and the last failure. */
function SyncProgress({ status }: { status: SyncStatus }) {
  const now = useNow(1000);
  const { catchingUp, lastError } = status;
  return (
    <>
      <dl className="central-sync__facts">
        <Fact label="Last sent" name="last-success">
          {status.lastSuccessAt === null ? 'Not yet' : formatTime(status.lastSuccessAt, now)}
        </Fact>
        <Fact label="Waiting to send" name="backlog">
          {status.backlog.toLocaleString()} {status.backlog === 1 ? 'event' : 'events'}
        </Fact>
        {status.nextAttemptAt !== null && (
          <Fact label="Next try" name="next-attempt">
            in {formatCountdown(status.nextAttemptAt - now)}
          </Fact>
        )}
      </dl>
      {catchingUp !== null && (
        <div className="central-sync__progress">
          <p>
            Catching up: {catchingUp.done.toLocaleString()} of {catchingUp.total.toLocaleString()} waiting
            events sent
          </p>
          <progress
            className="import__bar"
            max={Math.max(catchingUp.total, 1)}
            value={catchingUp.done}
            aria-label="Catching up"
          />
        </div>
      )}
      {lastError !== null && (
        <p className="notice notice--problem central-sync__error" role="alert">
          {lastError.message} <span className="small">({formatTime(lastError.at, now)})</span>
        </p>
      )}
    </>
  );
}

/** "Stop syncing", asked once more before it leaves. */
function LeaveSync(props: { workspaceId: string; onChange: (status: SyncStatus) => void }) {
  const { client } = useApp();
  const leave = useAction();
  const [confirmLeave, setConfirmLeave] = useState(false);
  const stop = () =>
    leave.run(async () => {
      props.onChange(await client.invoke('sync.leave', { workspaceId: props.workspaceId }));
      setConfirmLeave(false);
    });
  return (
    <>
      <div className="central-sync__leave">
        {confirmLeave ? (
          <ConfirmButtons
            question="Stop sending this business's log? What was already sent stays on the central server; joining again needs a new code."
            yes={leave.busy ? 'Stopping…' : 'Yes, stop syncing'}
            busy={leave.busy}
            onYes={() => void stop()}
            onNo={() => setConfirmLeave(false)}
          />
        ) : (
          <button
            className="button button--ghost button--small"
            type="button"
            onClick={() => setConfirmLeave(true)}
          >
            Stop syncing
          </button>
        )}
      </div>
      {leave.error !== null && <p className="field__error">{leave.error}</p>}
    </>
  );
}
