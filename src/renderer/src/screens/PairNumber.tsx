import { useState } from 'react';
import type { NumberState } from '../../../shared/contract';
import { ChoiceButtons } from '../components/ChoiceButton';
import { FormError } from '../components/Field';
import { Icon } from '../components/Icon';
import { QrCode } from '../components/QrCode';
import { StatusBadge } from '../components/StatusBadge';
import { formatCountdown, formatPhone } from '../format';
import { useApp, useNow } from '../state/app-context';
import { usePairing, type Method } from './pair/use-pairing';

type Pairing = ReturnType<typeof usePairing>;

/** The two ways to link a phone, as tabs. */
const METHODS: readonly { value: Method; label: string }[] = [
  { value: 'qr', label: 'Scan a QR code' },
  { value: 'code', label: 'Use a pairing code' },
];

/**
 * Linking a number: a QR that WhatsApp renews by itself (with a countdown), a fresh one on request,
 * or a pairing code typed on the phone. In demo mode the simulated phone can do the scanning.
 */
export function PairNumber(props: { workspaceId: string; phoneNumberId: string; onDone: () => void }) {
  const pairing = usePairing(props.workspaceId, props.phoneNumberId);
  const [method, setMethod] = useState<Method>('qr');
  const now = useNow(500);
  const { state } = pairing;

  if (state === null) {
    return (
      <div className="pair pair--loading">
        {pairing.error !== null ? (
          <p className="notice notice--problem">This number is no longer linked to this business.</p>
        ) : (
          <Spinner label="Loading…" />
        )}
      </div>
    );
  }
  if (state.status === 'connected') return <PairDone e164={state.e164} onDone={props.onDone} />;

  const liveQr = pairing.qr !== null && pairing.qr.expiresAt > now ? pairing.qr : null;
  return (
    <div className="pair">
      <div className="pair__steps">
        <div className="tabs" role="tablist" aria-label="How to link">
          <ChoiceButtons
            role="tab"
            className="tabs__tab"
            options={METHODS}
            current={method}
            onChoose={setMethod}
          />
        </div>
        <PairSteps e164={state.e164} method={method} />
        <p className="pair__status">
          <StatusBadge status={state.status} />
          <span className="muted">{pairStatusText(state, pairing.scanned)}</span>
        </p>
        <FormError error={pairing.error} />
      </div>

      <div className="pair__code">
        {method === 'qr' ? (
          <QrPanel pairing={pairing} state={state} liveQr={liveQr} now={now} />
        ) : (
          <CodePanel pairing={pairing} e164={state.e164} />
        )}
        <PairActions pairing={pairing} state={state} method={method} liveQr={liveQr} />
      </div>
    </div>
  );
}

/** What is happening, in words, beside the status badge. */
function pairStatusText(state: NumberState, scanned: boolean): string {
  // A scan by another number's phone ends the link (it was logged out): say so, offer a new QR.
  const wrongPhone = state.status === 'wrong-phone';
  if (scanned && !wrongPhone) return 'Phone found. Finishing the link…';
  if ((state.status === 'unpaired' || wrongPhone) && state.message !== null) return state.message;
  if (state.status === 'pairing') return 'Keep this page open until the phone says it is linked.';
  return 'Talking to WhatsApp…';
}

function PairDone({ e164, onDone }: { e164: string; onDone: () => void }) {
  return (
    <div className="pair-done" role="status">
      <span className="pair-done__icon" aria-hidden="true">
        <Icon name="check" size={36} />
      </span>
      <h2 className="pair-done__title">WhatsApp is linked</h2>
      <p className="muted">
        Switchboard is now connected to <strong>{formatPhone(e164)}</strong> and will answer your customers
        from this computer.
      </p>
      <button className="button button--primary" type="button" onClick={onDone}>
        Go to your dashboard
      </button>
    </div>
  );
}

function PairSteps({ e164, method }: { e164: string; method: Method }) {
  return (
    <ol className="steps">
      <li>
        Open <strong>WhatsApp</strong> on the phone with <strong>{formatPhone(e164)}</strong>.
      </li>
      <li>
        Tap <strong>Menu ⋮</strong> or <strong>Settings</strong>, then <strong>Linked devices</strong>.
      </li>
      {method === 'qr' ? (
        <li>
          Tap <strong>Link a device</strong> and point the phone at the code.
        </li>
      ) : (
        <li>
          Tap <strong>Link a device</strong>, then <strong>Link with phone number instead</strong>, and type
          the code shown here.
        </li>
      )}
    </ol>
  );
}

function QrPanel(props: { pairing: Pairing; state: NumberState; liveQr: NumberState['qr']; now: number }) {
  const { pairing, state, liveQr } = props;
  if (liveQr !== null) {
    return (
      <>
        <div className="qr-frame">
          <QrCode value={liveQr.qr} />
        </div>
        <Countdown expiresAt={liveQr.expiresAt} now={props.now} />
      </>
    );
  }
  if (state.status === 'wrong-phone') {
    return (
      <div className="qr-placeholder" role="alert">
        <p>Scanned with the wrong phone.</p>
        <button
          className="button button--primary"
          type="button"
          disabled={pairing.busy !== null}
          onClick={() => void pairing.startPairing()}
        >
          Show a new QR
        </button>
      </div>
    );
  }
  return (
    <div className="qr-placeholder">
      {state.status === 'unpaired' ? (
        <p>The QR code expired.</p>
      ) : (
        <Spinner label="Getting a QR code from WhatsApp…" />
      )}
    </div>
  );
}

function CodePanel({ pairing, e164 }: { pairing: Pairing; e164: string }) {
  if (pairing.code !== null) {
    return (
      <div className="pairing-code" aria-label="Pairing code">
        <span className="pairing-code__value">{formatPairingCode(pairing.code)}</span>
        <span className="muted">Type this on the phone. It works for a few minutes.</span>
      </div>
    );
  }
  return (
    <div className="qr-placeholder">
      <p className="muted">WhatsApp gives a one-time 8-character code for {formatPhone(e164)}.</p>
      <button
        className="button button--primary"
        type="button"
        disabled={pairing.busy !== null}
        onClick={() => void pairing.requestCode()}
      >
        {pairing.busy === 'code' ? 'Asking WhatsApp…' : 'Get a pairing code'}
      </button>
    </div>
  );
}

function PairActions(props: {
  pairing: Pairing;
  state: NumberState;
  method: Method;
  liveQr: NumberState['qr'];
}) {
  const { info } = useApp();
  const { pairing, method, liveQr } = props;
  return (
    <div className="pair__actions">
      {method === 'qr' && (
        <button
          className="button button--ghost"
          type="button"
          disabled={pairing.busy !== null}
          onClick={() => void pairing.startPairing()}
        >
          <Icon name="refresh" size={18} />{' '}
          {liveQr === null && props.state.status === 'unpaired' ? 'Get a new QR code' : 'New QR code'}
        </button>
      )}
      {info.demo && (
        <button
          className="button button--demo"
          type="button"
          disabled={pairing.busy !== null || (method === 'qr' ? liveQr === null : pairing.code === null)}
          onClick={() => void pairing.demoLink(method)}
        >
          <Icon name="phone" size={18} />{' '}
          {method === 'qr' ? 'Scan with demo phone' : 'Enter code on demo phone'}
        </button>
      )}
    </div>
  );
}

function Countdown({ expiresAt, now }: { expiresAt: number; now: number }) {
  const left = Math.max(0, expiresAt - now);
  return (
    <p className="countdown" aria-live="off">
      New code in {formatCountdown(left)}
    </p>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <span className="spinner-line" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </span>
  );
}

function formatPairingCode(code: string): string {
  const clean = code.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  return clean.length === 8 ? `${clean.slice(0, 4)}-${clean.slice(4)}` : clean;
}
