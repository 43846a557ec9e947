// The business's own phone pushes a history-sync notification to a freshly linked companion.
//
// Why: after its first <ib><offline/> an rc14 client enters AwaitingInitialSync and buffers every event
// (messages.upsert included) for up to 20 s unless creds.accountSyncCounter > 0 or a history-sync
// notification arrives. An inline, empty INITIAL_BOOTSTRAP is processed without any media download; the
// client then runs its app-state sync (answered with empty collections), goes online, flushes, and
// sets accountSyncCounter = 1 so later logins skip the wait.
//
// Like the real one, the bootstrap carries the phone's chats: every customer the server knows at that
// moment, each with the LID <-> phone-number mapping (phoneNumberToLidMappings, and the chat's
// pnJid/lidJid) and one old message, so tests can check that the mappings are learnt and the history
// is not imported.
import { deflateSync } from 'node:zlib';
import { proto } from '@whiskeysockets/baileys';
import type { Account, CompanionDevice, DeliverySender, PendingDelivery } from './accounts';
import { newMessageId, type ContactImpl } from './contact';
import { pnJid, unixNow } from './frames';

/** The text of the one old message each customer has in the history sync. */
export const HISTORY_MESSAGE_TEXT = 'An old message from before the link';

export function historySyncDelivery(
  account: Account,
  device: CompanionDevice,
  contacts: readonly ContactImpl[],
): PendingDelivery {
  const payload = proto.HistorySync.encode({
    syncType: proto.HistorySync.HistorySyncType.INITIAL_BOOTSTRAP,
    conversations: contacts.map((c) => ({
      id: c.jid,
      pnJid: c.pnJid,
      lidJid: c.lid,
      displayName: c.name ?? null,
      messages: [
        {
          message: {
            key: { remoteJid: c.jid, fromMe: false, id: newMessageId() },
            message: { conversation: HISTORY_MESSAGE_TEXT },
            messageTimestamp: unixNow() - 86_400,
          },
        },
      ],
    })),
    phoneNumberToLidMappings: contacts.map((c) => ({ pnJid: c.pnJid, lidJid: c.lid })),
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
