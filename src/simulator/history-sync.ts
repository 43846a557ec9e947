// The business's own phone pushes a history-sync notification to a freshly linked companion.
//
// Why: after its first <ib><offline/> an rc14 client enters AwaitingInitialSync and buffers every event
// (messages.upsert included) for up to 20 s unless creds.accountSyncCounter > 0 or a history-sync
// notification arrives. An inline, empty INITIAL_BOOTSTRAP is processed without any media download; the
// client then runs its app-state sync (answered with empty collections), goes online, flushes, and
// sets accountSyncCounter = 1 so later logins skip the wait.
import { deflateSync } from 'node:zlib';
import { proto } from '@whiskeysockets/baileys';
import type { Account, CompanionDevice, DeliverySender, PendingDelivery } from './accounts';
import { newMessageId } from './contact';
import { pnJid, unixNow } from './frames';

export function historySyncDelivery(account: Account, device: CompanionDevice): PendingDelivery {
  const payload = proto.HistorySync.encode({
    syncType: proto.HistorySync.HistorySyncType.INITIAL_BOOTSTRAP,
    conversations: [],
    chunkOrder: 0,
    progress: 100,
  }).finish();
  // Peer messages come from the account's own device 0; the client only honours history-sync
  // notifications that are fromMe.
  const phone: DeliverySender = {
    party: account.phone,
    label: `phone ${account.digits}`,
    envelope: () => ({ from: pnJid(account.digits), category: 'peer' }),
  };
  return {
    id: newMessageId(),
    t: unixNow(),
    sender: phone,
    offline: false,
    // Only useful right after <ib><offline/>: if the socket drops first, it is sent again on the next
    // login instead of being queued with the offline backlog.
    transient: true,
    message: {
      protocolMessage: {
        type: proto.Message.ProtocolMessage.Type.HISTORY_SYNC_NOTIFICATION,
        historySyncNotification: {
          syncType: proto.Message.HistorySyncType.INITIAL_BOOTSTRAP,
          chunkOrder: 0,
          progress: 100,
          // zlib "deflate" format: the client inflates it with zlib.inflate.
          initialHistBootstrapInlinePayload: deflateSync(payload),
        },
      },
    },
    onDelivered: () => {
      device.historySynced = true;
    },
  };
}
