import { useCallback, useEffect, useRef, useState } from 'react';
import type { NumberState } from '../../../shared/contract';
import { errorMessage } from '../client/client';
import { Icon } from '../components/Icon';
import { QrCode } from '../components/QrCode';
import { StatusBadge } from '../components/StatusBadge';
import { formatCountdown, formatPhone } from '../format';
import { useApp, useEvent, useNow } from '../state/app-context';

type Method = 'qr' | 'code';

/**
 * Linking a number: a QR that WhatsApp renews by itself (with a countdown), a fresh one on request,
 * or a pairing code typed on the phone. In demo mode the simulated phone can do the scanning.
 */
export function PairNumber(props: { workspaceId: string; phoneNumberId: string; onDone: () => void }) {
  const { client, info } = useApp();
  const { workspaceId, phoneNumberId } = props;
  const [state, setState] = useState<NumberState | null>(null);
  const [qr, setQr] = useState<NumberState['qr']>(null);
  const [code, setCode] = useState<string | null>(null);
  const [method, setMethod] = useState<Method>('qr');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [scanned, setScanned] = useState(false);
  const started = useRef(false);
  const now = useNow(500);
  const e164 = state?.e164;

  const run = useCallback(async (label: string, action: () => Promise<void>) => {
    setBusy(label);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(null);
    }
  }, []);

  const startPairing = useCallback(
    () =>
      run('qr', async () => {
        setQr(null);
        setCode(null);
        setScanned(false);
        setState(await client.invoke('connection.pair', { workspaceId, phoneNumberId }));
      }),
    [client, run, workspaceId, phoneNumberId],
  );

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void run('load', async () => {
      const found = (await client.invoke('connection.list', { workspaceId })).find(
        (n) => n.phoneNumberId === phoneNumberId,
      );
      if (found === undefined) throw new Error('gone');
      setState(found);
      setQr(found.qr);
      setCode(found.pairingCode);
      const inProgress = found.status === 'connected' || found.qr !== null || found.status === 'connecting';
      if (!inProgress) await startPairing();
    });
  }, [client, run, startPairing, workspaceId, phoneNumberId]);

  useEvent('connection.qrReceived', (event) => {
    if (event.e164 === e164) setQr({ qr: event.qr, expiresAt: event.expiresAt });
  });
  useEvent('connection.pairingCodeReceived', (event) => {
    if (event.e164 === e164) setCode(event.code);
  });
  useEvent('connection.changed', (event) => {
    if (event.e164 !== e164) return;
    setState((current) => (current === null ? current : { ...current, ...event }));
    if (event.status !== 'pairing') setQr(null);
  });

  const requestCode = () =>
    run('code', async () => {
      const result = await client.invoke('connection.requestPairingCode', { workspaceId, phoneNumberId });
      setCode(result.code);
    });

  const demoLink = () =>
    run('demo', async () => {
      if (method === 'qr') await client.invoke('demo.scanQr', { workspaceId, phoneNumberId });
      else await client.invoke('demo.enterPairingCode', { workspaceId, phoneNumberId });
      setScanned(true);
    });

  if (state === null) {
    return (
      <div className="pair pair--loading">
        {error !== null ? (
          <p className="notice notice--problem">This number is no longer linked to this business.</p>
        ) : (
          <Spinner label="Loading…" />
        )}
      </div>
    );
  }

  if (state.status === 'connected') {
    return (
      <div className="pair-done" role="status">
        <span className="pair-done__icon" aria-hidden="true">
          <Icon name="check" size={36} />
        </span>
        <h2 className="pair-done__title">WhatsApp is linked</h2>
        <p className="muted">
          Switchboard is now connected to <strong>{formatPhone(state.e164)}</strong> and will answer your
          customers from this computer.
        </p>
        <button className="button button--primary" type="button" onClick={props.onDone}>
          Go to your dashboard
        </button>
      </div>
    );
  }

  const liveQr = qr !== null && qr.expiresAt > now ? qr : null;
  // A scan by another number's phone ends the link (it was logged out): say so, offer a new QR.
  const wrongPhone = state.status === 'wrong-phone';
  const linking = scanned && !wrongPhone;

  return (
    <div className="pair">
      <div className="pair__steps">
        <div className="tabs" role="tablist" aria-label="How to link">
          <button
            type="button"
            role="tab"
            aria-selected={method === 'qr'}
            className={`tabs__tab${method === 'qr' ? ' tabs__tab--active' : ''}`}
            onClick={() => setMethod('qr')}
          >
            Scan a QR code
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={method === 'code'}
            className={`tabs__tab${method === 'code' ? ' tabs__tab--active' : ''}`}
            onClick={() => setMethod('code')}
          >
            Use a pairing code
          </button>
        </div>
        <ol className="steps">
          <li>
            Open <strong>WhatsApp</strong> on the phone with <strong>{formatPhone(state.e164)}</strong>.
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
              Tap <strong>Link a device</strong>, then <strong>Link with phone number instead</strong>, and
              type the code shown here.
            </li>
          )}
        </ol>
        <p className="pair__status">
          <StatusBadge status={state.status} />
          <span className="muted">
            {linking
              ? 'Phone found. Finishing the link…'
              : (state.status === 'unpaired' || wrongPhone) && state.message !== null
                ? state.message
                : state.status === 'pairing'
                  ? 'Keep this page open until the phone says it is linked.'
                  : 'Talking to WhatsApp…'}
          </span>
        </p>
        {error !== null && (
          <p className="notice notice--problem" role="alert">
            {error}
          </p>
        )}
      </div>

      <div className="pair__code">
        {method === 'qr' ? (
          liveQr !== null ? (
            <>
              <div className="qr-frame">
                <QrCode value={liveQr.qr} />
              </div>
              <Countdown expiresAt={liveQr.expiresAt} now={now} />
            </>
          ) : wrongPhone ? (
            <div className="qr-placeholder" role="alert">
              <p>Scanned with the wrong phone.</p>
              <button
                className="button button--primary"
                type="button"
                disabled={busy !== null}
                onClick={() => void startPairing()}
              >
                Show a new QR
              </button>
            </div>
          ) : state.status === 'unpaired' ? (
            <div className="qr-placeholder">
              <p>The QR code expired.</p>
            </div>
          ) : (
            <div className="qr-placeholder">
              <Spinner label="Getting a QR code from WhatsApp…" />
            </div>
          )
        ) : code !== null ? (
          <div className="pairing-code" aria-label="Pairing code">
            <span className="pairing-code__value">{formatPairingCode(code)}</span>
            <span className="muted">Type this on the phone. It works for a few minutes.</span>
          </div>
        ) : (
          <div className="qr-placeholder">
            <p className="muted">WhatsApp gives a one-time 8-character code for {formatPhone(state.e164)}.</p>
            <button
              className="button button--primary"
              type="button"
              disabled={busy !== null}
              onClick={() => void requestCode()}
            >
              {busy === 'code' ? 'Asking WhatsApp…' : 'Get a pairing code'}
            </button>
          </div>
        )}
        <div className="pair__actions">
          {method === 'qr' && (
            <button
              className="button button--ghost"
              type="button"
              disabled={busy !== null}
              onClick={() => void startPairing()}
            >
              <Icon name="refresh" size={18} />{' '}
              {liveQr === null && state.status === 'unpaired' ? 'Get a new QR code' : 'New QR code'}
            </button>
          )}
          {info.demo && (
            <button
              className="button button--demo"
              type="button"
              disabled={busy !== null || (method === 'qr' ? liveQr === null : code === null)}
              onClick={() => void demoLink()}
            >
              <Icon name="phone" size={18} />{' '}
              {method === 'qr' ? 'Scan with demo phone' : 'Enter code on demo phone'}
            </button>
          )}
        </div>
      </div>
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
