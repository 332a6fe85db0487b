// The address a person is known to read: the notice address whose link they opened, or, for a
// directory person, the mail the directory holds (the organisation vouches for it).
import type { NoticeAddressStore, UserRecord } from '../storage/port.js';

export async function confirmedAddress(addresses: Pick<NoticeAddressStore, 'findConfirmed'>, user: Pick<UserRecord, 'id' | 'email' | 'directoryId'>): Promise<string | null> {
  const confirmed = await addresses.findConfirmed(user.id);
  if (confirmed) return confirmed.address;
  return user.directoryId ? user.email : null;
}
