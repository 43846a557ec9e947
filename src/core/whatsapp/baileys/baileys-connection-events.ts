import { jidNormalizedUser, type WASocket } from '@whiskeysockets/baileys';
import { closeInfo, otherAccount, type BaileysContext } from './baileys-session';
import { phoneFromJid } from './message-mapper';
import type { SqliteAuthState } from './sqlite-auth-state';

const QR_FIRST_TTL_MS = 60_000;
const QR_NEXT_TTL_MS = 20_000;

/** The socket's credentials, LID mappings and connection state, as the provider's events. */
export function wireConnectionEvents(ctx: BaileysContext, socket: WASocket, loaded: SqliteAuthState): void {
  const { session, log, emit, businessNumber, lids } = ctx;
  const mine = () => session.sock === socket;

  socket.ev.on('creds.update', (update) => {
    if (mine() && session.linkedElsewhere === null && update.account !== undefined) {
      // pair-success: the first moment the scanning phone's account is known.
      const other = otherAccount({ ...loaded.state.creds, ...update }, businessNumber);
      if (other !== null) {
        session.linkedElsewhere = other;
        emit('paired', { ownNumber: other });
      }
    }
    void loaded
      .saveCreds()
      .catch((error: unknown) => log.error('error', 'saving WhatsApp credentials failed', { error }));
  });

  if (lids !== undefined) {
    socket.ev.on('lid-mapping.update', (mapping) => {
      if (mine()) lids.learn(businessNumber, [mapping], 'lid-mapping.update');
    });
  }

  socket.ev.on('connection.update', (update) => {
    if (!mine()) return;
    if (update.qr !== undefined) {
      session.qrCount++;
      emit('qr', {
        qr: update.qr,
        expiresAt: ctx.now() + (session.qrCount === 1 ? QR_FIRST_TTL_MS : QR_NEXT_TTL_MS),
      });
    }
    if (update.connection === 'connecting') emit('status', { state: 'connecting' });
    if (update.connection === 'open' && session.linkedElsewhere !== null) {
      log.warn('connection.wrong_phone', `Logging out the session linked to ${session.linkedElsewhere}`, {
        linkedNumber: session.linkedElsewhere,
      });
      // logout() removes this device from that phone, then closes with 401 (reported as 1409).
      socket.logout('linked to another number').catch(() => socket.end(undefined));
      return;
    }
    if (update.connection === 'open') {
      session.open = true;
      const own = phoneFromJid(socket.user?.id === undefined ? undefined : jidNormalizedUser(socket.user.id));
      if (own !== null) emit('paired', { ownNumber: own });
      emit('status', { state: 'open', isNewLogin: update.isNewLogin === true });
    }
    if (update.connection === 'close') {
      session.open = false;
      session.sock = null;
      socket.ev.removeAllListeners('messages.upsert');
      emit('status', { state: 'closed', close: closeInfo(ctx, update) });
    }
  });
}
