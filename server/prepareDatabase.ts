// What the database needs before any request is served: its tables and indexes (openStorage
// creates and migrates them) and the look-alike key of usernames stored before keys existed;
// accounts named with invisible characters before they were refused are reported here, once.
// With WORKERS > 1 the cluster primary does it once, before forking, so the workers start
// together on a database that is ready and write nothing while starting; processes racing
// to create a new SQLite file was how a first start could fail with "database is locked".
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Storage } from './storage/port.js';
import { openStorage } from './storage/openStorage.js';
import { backfillUsernameSkeletons } from './accounts/backfillUsernameSkeletons.js';
import { findInvisibleUsernames } from './accounts/findInvisibleUsernames.js';

/** The data migrations, on a store already open (a single process runs them on the one it serves from). */
export async function migrateData(storage: Storage, logger: Logger): Promise<void> {
  // Idempotent, and the unique index decides should two processes do it at once.
  const skeletons = await backfillUsernameSkeletons(storage.users);
  if (skeletons.set + skeletons.notSet > 0) logger.info(skeletons, 'Gave existing usernames their look-alike key');
  const invisible = await findInvisibleUsernames(storage.users);
  if (invisible.length) {
    logger.warn(
      { count: invisible.length, accounts: invisible.slice(0, 20).map((u) => ({ id: u.id, username: u.username, characters: u.characters })) },
      'Accounts whose usernames contain invisible characters (they may look like another name): kept as they are and flagged in the admin list; new names with them are refused',
    );
  }
}

/** Opens (creating every table and index), migrates the data, closes. */
export async function prepareDatabase(config: Config, logger: Logger): Promise<void> {
  const storage = await openStorage(config);
  try {
    await migrateData(storage, logger);
  } finally {
    await storage.close();
  }
}
