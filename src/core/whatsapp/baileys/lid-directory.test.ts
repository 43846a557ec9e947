import { describe, expect, it } from 'vitest';
import type { E164 } from '../../../shared/types';
import { createLogger } from '../../log/logger';
import type { LidMapping, LidMappingSource } from '../../store/repositories/lid-mappings';
import { createLidDirectory, lidPairsOfKey } from './lid-directory';

const SHOP = '+2348090000001' as E164;
const LID = '123456789012345@lid';
const PHONE = '2348031234567@s.whatsapp.net';

function directory(stored: LidMapping[] = []) {
  const writes: { mappings: readonly LidMapping[]; source: LidMappingSource }[] = [];
  const lids = createLidDirectory({
    logger: createLogger({ sinks: [] }),
    store: {
      load: () => Promise.resolve(stored),
      learn: (_number, mappings, source) => {
        writes.push({ mappings, source });
        return Promise.resolve();
      },
    },
  });
  return { lids, writes };
}

describe('LID directory', () => {
  it('knows a pair at once, in either order and without devices, and stores each new pair once', async () => {
    const { lids, writes } = directory();
    expect(lids.phoneJidOf(LID)).toBeUndefined();
    expect(
      lids.learn(SHOP, [{ lid: '2348031234567:4@s.whatsapp.net', pn: '123456789012345:4@lid' }], 'message'),
    ).toBe(1);
    expect(lids.phoneJidOf(LID)).toBe(PHONE);
    expect(lids.phoneJidOf('123456789012345:7@lid')).toBe(PHONE);
    expect(lids.learn(SHOP, [{ lid: LID, pn: PHONE }], 'key-store')).toBe(0);
    // A group or two LIDs say nothing about a phone number.
    expect(
      lids.learn(
        SHOP,
        [
          { lid: '1203630@g.us', pn: PHONE },
          { lid: LID, pn: '9@lid' },
        ],
        'message',
      ),
    ).toBe(0);
    await lids.idle();
    expect(writes).toEqual([{ mappings: [{ lid: LID, phoneJid: PHONE }], source: 'message' }]);
  });

  it('loads what the workspace stored', async () => {
    const { lids } = directory([{ lid: LID, phoneJid: PHONE }]);
    await lids.load();
    expect(lids.phoneJidOf(LID)).toBe(PHONE);
  });

  it("reads the pairs a message key reveals: the chat's alt address and a group participant's", () => {
    expect(lidPairsOfKey({ remoteJid: LID, remoteJidAlt: PHONE, id: 'X' })).toEqual([
      { lid: LID, pn: PHONE },
    ]);
    expect(
      lidPairsOfKey({ remoteJid: '1203630@g.us', participant: PHONE, participantAlt: LID, id: 'X' }),
    ).toEqual([{ lid: PHONE, pn: LID }]);
    expect(lidPairsOfKey({ remoteJid: LID, id: 'X' })).toEqual([]);
  });
});
