import type { PhoneNumber } from '../../shared/dto';
import type { WorkspaceId } from '../../shared/types';
import type { SecretBox } from '../secrets/secret-box';
import type { Store } from '../store/open-database';
import { createPhoneNumberRepository } from '../store/repositories/phone-numbers';
import { createCloudNumberRepository } from './cloud-store';

/**
 * The phone_number_ids of a workspace's Cloud numbers as stored, whether their provider runs or not
 * (its token unreadable, not started yet): the webhook relay waits for these and drops the rest. A
 * number's id comes from `override` (the app's `cloudApi.numberConfig`) when it names one, else from
 * what "Connect an official number" stored. No secret is opened.
 */
export function createStoredPhoneNumberIds(deps: {
  store: Store;
  secrets: SecretBox;
  override?: ((number: PhoneNumber) => { phoneNumberId: string } | undefined) | undefined;
}): (workspaceId: WorkspaceId) => Promise<ReadonlySet<string>> {
  const phones = createPhoneNumberRepository(deps.store.db);
  const cloudNumbers = createCloudNumberRepository(deps.store.db, deps.secrets);
  return async (workspaceId) => {
    const stored = new Map((await cloudNumbers.list(workspaceId)).map((c) => [c.numberId, c.phoneNumberId]));
    const ids = new Set<string>();
    for (const number of await phones.list(workspaceId)) {
      if (number.provider !== 'cloud-api') continue;
      const id = deps.override?.(number)?.phoneNumberId ?? stored.get(number.id);
      if (id !== undefined) ids.add(id);
    }
    return ids;
  };
}
