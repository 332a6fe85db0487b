// Accounts named before invisible characters were refused (server/accounts/invisibleCharacters.ts).
// They are found and reported at start-up, never renamed or removed: the name is how the
// person signs in and how apps know them, so changing it is the administrator's call.
import type { UserStore } from '../storage/port.js';
import { invisibleCodePoints } from './invisibleCharacters.js';

const PAGE = 500;

export interface InvisibleUsername {
  id: string;
  username: string;
  /** The invisible code points in the name, as "U+1160". */
  characters: string[];
}

export async function findInvisibleUsernames(users: Pick<UserStore, 'listUsernames'>): Promise<InvisibleUsername[]> {
  const found: InvisibleUsername[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await users.listUsernames(after, PAGE);
    for (const u of page) {
      const characters = invisibleCodePoints(u.username);
      if (characters.length) found.push({ id: u.id, username: u.username, characters });
    }
    if (page.length < PAGE) return found;
    after = page[page.length - 1]!.id;
  }
}
