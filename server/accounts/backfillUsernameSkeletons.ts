// Users stored before usernames had a skeleton get one at start-up, so the unique index
// guards their names too. Where two old accounts already look alike, the first (by id)
// holds the skeleton and the other keeps none: both still sign in, and a new look-alike
// of either is refused because the holder's skeleton is the same.
import type { UserStore } from '../storage/port.js';
import { usernameSkeleton } from './usernameSkeleton.js';

const PAGE = 500;

/** Returns how many users got a skeleton and how many were not (look-alikes). */
export async function backfillUsernameSkeletons(users: UserStore): Promise<{ set: number; notSet: number }> {
  let set = 0;
  let notSet = 0;
  let after: string | null = null;
  for (;;) {
    const page = await users.listWithoutSkeleton(after, PAGE);
    for (const u of page) {
      if (await users.setSkeleton(u.id, usernameSkeleton(u.usernameNormalized))) set++;
      else notSet++; // a look-alike of an earlier account, or another instance was first
    }
    if (page.length < PAGE) return { set, notSet };
    after = page[page.length - 1]!.id;
  }
}
