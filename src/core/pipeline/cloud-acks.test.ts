import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryAck } from '../whatsapp/provider';
import { createOutboxRepository } from '../store/repositories/outbox';
import { createKit, flush, NUMBER_A, WS_A, type Kit } from './testing/pipeline-kit';

/**
 * Cloud API numbers: Meta gives each send its own id (a wamid), and our outbox id travels beside it in
 * biz_opaque_callback_data. A status naming our id settles the row whatever came first; a send cut off by
 * a crash waits for such a status before it is sent again, since a second send would be a second message.
 */
const CHAT = '2348031234567@s.whatsapp.net';
let kit: Kit;
afterEach(() => kit.cleanup());

const outbox = (k: Kit) => createOutboxRepository(k.store.db).listByChat(WS_A, CHAT);
const sends = (calls: { op: string }[]) => calls.filter((c) => c.op === 'send').length;
const ack = (outboxId: string, status: DeliveryAck['status']): DeliveryAck => ({
  businessNumber: NUMBER_A,
  providerMessageId: `wamid.${outboxId}`,
  clientMessageId: outboxId,
  chatId: CHAT,
  status,
  error: status === 'failed' ? { code: '131026', message: 'Message undeliverable' } : null,
  timestamp: 1,
});

describe('Cloud API acks', () => {
  it("a reply goes out once; its message row carries Meta's id and follows the statuses", async () => {
    kit = await createKit({ cloudApi: true, settings: { greeting: { enabled: false } } });
    kit.receive('What time do you open?');
    await kit.drive();
    const [row] = await outbox(kit);
    expect(row).toMatchObject({ status: 'sent', providerMessageId: `wamid.${row!.id}` });
    kit.emit({ type: 'ack', workspaceId: WS_A, ack: ack(row!.id, 'delivered') });
    await kit.drive();
    const message = await kit.store.db
      .selectFrom('messages')
      .select(['provider_message_id', 'status'])
      .where('id', '=', row!.id)
      .executeTakeFirstOrThrow();
    expect(message).toEqual({ provider_message_id: `wamid.${row!.id}`, status: 'delivered' });
  });

  it('a status that arrives before the send answered settles the row; nothing is sent twice', async () => {
    kit = await createKit({ cloudApi: true, settings: { greeting: { enabled: false } } });
    const provider = kit.providers.get(NUMBER_A)!;
    provider.hangNext(); // Meta accepted the send, but its HTTP answer is slow to come back
    kit.receive('What time do you open?');
    await kit.drive({ until: () => sends(provider.calls) === 1 });
    const [row] = await outbox(kit);
    expect(row!.status).toBe('sending');
    kit.emit({ type: 'ack', workspaceId: WS_A, ack: ack(row!.id, 'sent') });
    await kit.drive({ until: async () => (await outbox(kit))[0]!.status === 'sent' });
    provider.releaseHung(); // the answer finally fails (a dropped connection): the row is already sent
    await kit.drive();
    expect(await outbox(kit)).toMatchObject([{ status: 'sent', providerMessageId: `wamid.${row!.id}` }]);
    expect(sends(provider.calls)).toBe(1);
  });

  it('after a crash mid-send the row waits for its status; one that comes means no second send', async () => {
    kit = await createKit({ cloudApi: true, settings: { greeting: { enabled: false } } });
    kit.providers.get(NUMBER_A)!.hangNext();
    kit.receive('What time do you open?');
    await kit.drive({ until: async () => (await outbox(kit))[0]?.status === 'sending' });
    const [row] = await outbox(kit);
    const second = await kit.restart({}, { cloudApi: true }); // the old process is gone mid-send
    await flush();
    await second.pipeline.idle();
    expect(kit.sink.ofType('outbox.reconciling')).toHaveLength(1);
    expect(sends(second.provider.calls)).toBe(0);
    second.pipeline.handleEvent({ type: 'ack', workspaceId: WS_A, ack: ack(row!.id, 'delivered') });
    await second.pipeline.idle();
    await kit.timers.advance(11 * 60_000);
    await flush();
    await second.pipeline.idle();
    expect(sends(second.provider.calls)).toBe(0);
    expect(await createOutboxRepository(second.store.db).get(WS_A, row!.id)).toMatchObject({
      status: 'sent',
    });
    await second.pipeline.stop();
  });

  it('after a crash mid-send with no status at all, the row is sent again once the wait is over', async () => {
    kit = await createKit({ cloudApi: true, settings: { greeting: { enabled: false } } });
    kit.providers.get(NUMBER_A)!.hangNext();
    kit.receive('What time do you open?');
    await kit.drive({ until: async () => (await outbox(kit))[0]?.status === 'sending' });
    const second = await kit.restart({}, { cloudApi: true });
    await flush();
    await second.pipeline.idle();
    await kit.timers.advance(9 * 60_000);
    await flush();
    expect(sends(second.provider.calls)).toBe(0);
    await kit.timers.advance(2 * 60_000);
    for (let i = 0; i < 5 && sends(second.provider.calls) === 0; i++) {
      await flush();
      await second.pipeline.idle();
    }
    expect(sends(second.provider.calls)).toBe(1);
    await second.pipeline.stop();
  });
});
