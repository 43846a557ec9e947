import type { CoreHandlers, NumberState } from '../../shared/contract';
import type { PhoneNumber } from '../../shared/dto';
import { SwitchboardError } from '../errors';
import { requireNumber, type HandlerContext } from './context';

type ConnectionHandlers = Pick<
  CoreHandlers,
  'connection.list' | 'connection.pair' | 'connection.requestPairingCode' | 'connection.reconnect'
>;

/** How long to wait for WhatsApp's first QR (the socket is up) before asking for a pairing code. */
const SOCKET_READY_TIMEOUT_MS = 30_000;

export function createConnectionHandlers(ctx: HandlerContext): ConnectionHandlers {
  const { app } = ctx;

  /** The stored status, overridden by the live connection when this process runs one. */
  function stateOf(number: PhoneNumber): NumberState {
    const live = app.connections.state(number.e164);
    const pairing = ctx.connectionEvents.pairing(number.e164);
    const status = live === undefined || live.status === 'disabled' ? number.status : live.status;
    return {
      phoneNumberId: number.id,
      workspaceId: number.workspaceId,
      e164: number.e164,
      label: number.label,
      status,
      attempt: live?.attempt ?? 0,
      nextAttemptAt: live?.nextAttemptAt ?? null,
      message: live?.message ?? null,
      lastCloseCode: live?.lastClose?.code ?? null,
      qr: status === 'pairing' ? pairing.qr : null,
      pairingCode: status === 'pairing' ? pairing.code : null,
    };
  }

  async function start(workspaceId: NumberState['workspaceId'], phoneNumberId: string) {
    const number = await requireNumber(ctx, workspaceId, phoneNumberId);
    await app.connect(workspaceId, phoneNumberId);
    return stateOf(number);
  }

  return {
    async 'connection.list'({ workspaceId }) {
      const numbers = await app.workspaces.listNumbers(workspaceId);
      return numbers.map(stateOf);
    },

    'connection.pair': ({ workspaceId, phoneNumberId }) => start(workspaceId, phoneNumberId),

    'connection.reconnect': ({ workspaceId, phoneNumberId }) => start(workspaceId, phoneNumberId),

    async 'connection.requestPairingCode'({ workspaceId, phoneNumberId }) {
      const number = await requireNumber(ctx, workspaceId, phoneNumberId);
      if (stateOf(number).status === 'connected') {
        throw new SwitchboardError('CONFLICT', `${number.e164} is already linked and connected.`);
      }
      // WhatsApp hands out pairing codes only on a live socket that is waiting to be linked, which is
      // exactly when it shows QR codes: start one if none is on screen, and wait for it.
      const ready = ctx.connectionEvents.waitForQr(number.e164, SOCKET_READY_TIMEOUT_MS);
      if (ctx.connectionEvents.pairing(number.e164).qr === null) {
        await app.connect(workspaceId, phoneNumberId);
      }
      try {
        await ready;
      } catch {
        throw new SwitchboardError(
          'UNAVAILABLE',
          'WhatsApp did not answer in time. Check the internet connection and try again.',
        );
      }
      const code = await app.connections.requestPairingCode(workspaceId, number.e164);
      return { code };
    },
  };
}
