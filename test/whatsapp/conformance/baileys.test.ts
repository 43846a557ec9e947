// The provider conformance suite against the Baileys provider and the local WhatsApp server.
import type { SimulatedContact } from '../../../src/simulator/index';
import { createHarness, linkNumber } from '../harness';
import { describeProviderConformance, SHOP, type ConformanceCustomer } from './suite';

describeProviderConformance({
  kind: 'baileys',
  async create() {
    const harness = await createHarness();
    const customer = (contact: SimulatedContact): ConformanceCustomer => ({
      phone: contact.phone,
      send: (text) => contact.send(SHOP, text),
      sendPhoto: (data, caption) =>
        contact.sendMedia(SHOP, { kind: 'image', data, ...(caption !== undefined && { caption }) }),
      // WhatsApp's copy of the same message (same id), as after a socket died before the receipt.
      redeliver: async (id, text) => void (await contact.send(SHOP, text, { id })),
      // A retry receipt can make the phone see a message twice: it shows it once.
      replies: () => [...new Map(contact.replies.map((r) => [r.id, { id: r.id, text: r.text }])).values()],
      files: () =>
        [
          ...new Map(
            contact.replies.filter((r) => r.media?.data !== undefined).map((r) => [r.id, r.media!]),
          ).values(),
        ].map((m) => ({
          kind: m.kind === 'voice' ? 'audio' : (m.kind as 'image' | 'document' | 'audio'),
          data: m.data!,
          caption: m.caption ?? null,
          // WhatsApp carries a file name with documents only.
          fileName: m.kind === 'document' ? (m.fileName ?? null) : null,
        })),
      waitForReplies: async (count, timeoutMs = 15_000) =>
        void (await contact.waitForReplies(count, timeoutMs)),
    });
    return {
      startCore: () => harness.startCore(),
      async link(core, workspaceId) {
        const linked = await linkNumber(harness, core, SHOP, { id: workspaceId });
        return { workspaceId, phoneNumberId: linked.phoneNumberId, e164: linked.e164 };
      },
      customer: (phone) => customer(harness.server.contact(phone)),
      failNextSend(phone, kind) {
        // Transient: the device-list query before the send fails, so sendMessage throws (Boom 500).
        // Permanent: the server refuses the message with error 463, which Baileys reports as failed.
        harness.server
          .contact(phone)
          .failNextSend(kind === 'transient' ? { devicesError: 500 } : { nack: 463 });
      },
      // Baileys' upload gets a 500 from the media host and the send throws: a transient failure.
      failNextUpload: () => harness.server.media.refuseUploads(1),
      cleanup: () => harness.cleanup(),
    };
  },
});
