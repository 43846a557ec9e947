import { useCallback, useEffect, useRef, useState } from 'react';
import type { NumberState } from '../../../../shared/contract';
import { useApp, useEvent } from '../../state/app-context';
import { useAction } from '../../state/use-action';

export type Method = 'qr' | 'code';

/**
 * One number's link in progress: its state, the QR and pairing code WhatsApp sends (kept live from
 * events), and the actions; `busy` names the one running ('load', 'qr', 'code', 'demo').
 */
export function usePairing(workspaceId: string, phoneNumberId: string) {
  const { client } = useApp();
  const [state, setState] = useState<NumberState | null>(null);
  const [qr, setQr] = useState<NumberState['qr']>(null);
  const [code, setCode] = useState<string | null>(null);
  const [scanned, setScanned] = useState(false);
  const action = useAction();
  const [label, setLabel] = useState<string | null>(null);
  const { run: runAction } = action;
  const run = useCallback(
    (name: string, work: () => Promise<void>) => {
      setLabel(name);
      return runAction(work);
    },
    [runAction],
  );
  const ref = { workspaceId, phoneNumberId };

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

  const started = useRef(false);
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

  usePairingEvents(state?.e164, setState, setQr, setCode);

  const requestCode = () =>
    run('code', async () => {
      setCode((await client.invoke('connection.requestPairingCode', ref)).code);
    });
  const demoLink = (method: Method) =>
    run('demo', async () => {
      if (method === 'qr') await client.invoke('demo.scanQr', ref);
      else await client.invoke('demo.enterPairingCode', ref);
      setScanned(true);
    });

  const busy = action.busy ? label : null;
  return { state, qr, code, scanned, busy, error: action.error, startPairing, requestCode, demoLink };
}

function usePairingEvents(
  e164: string | undefined,
  setState: (update: (current: NumberState | null) => NumberState | null) => void,
  setQr: (qr: NumberState['qr']) => void,
  setCode: (code: string) => void,
) {
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
}
