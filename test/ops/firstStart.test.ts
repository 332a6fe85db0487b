// A first start with several workers on a new database, as `npm install && npm start` does on
// a machine with several cores: the cluster primary prepares the database, then every worker
// comes up, every time. Before, each worker created the new SQLite file's tables itself and a
// start could fail with "database is locked" (issue 27). Starts are counted, never timed.
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_FINGERPRINT } from '../../server/storage/embedded/prepareEmbeddedSchema.js';
import { usernameSkeleton } from '../../server/accounts/usernameSkeleton.js';
import { freePort } from '../helpers/freePort.js';
import { mongoUri } from '../helpers/storageFactories.js';
import { buildServer, spawnServerProcess } from './serverProcess.js';

// A start of four workers keeps both cores of the test machine busy for about 10 s (every
// worker loads the whole server), so 50 per store would add some 17 minutes to the suite: it
// makes 5 per store (under two minutes). The old code failed about one start in 30 to 40
// here, so these few rarely catch it alone; test/contract/embeddedConcurrentOpen.test.ts is
// the fast and sure reproduction of the race. FIRST_STARTS=50 runs the full count by hand.
const STARTS = Number(process.env['FIRST_STARTS'] ?? 5);

const dir = mkdtempSync(join(tmpdir(), 'keyward-first-start-'));
beforeAll(() => buildServer(), 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  started: boolean;
  why: string;
  logs: { msg?: string; [k: string]: unknown }[];
  pid: number;
}

/** Starts the built server, waits until every worker listens (or the start fails), stops it. */
async function startAndStop(env: Record<string, string>): Promise<Outcome> {
  const s = spawnServerProcess({ LOG_LEVEL: 'info', ...env }, await freePort(), { built: true });
  let exited = false;
  void s.exited.then(() => (exited = true));
  while (!exited && !s.logs.some((l) => l.msg === 'Keyward is listening')) await new Promise((r) => setTimeout(r, 20));
  const started = !exited;
  if (started) s.child.kill('SIGTERM');
  const { code } = await s.exited;
  return { started: started && code === 0, why: `exit ${code}: ${s.stderr().trim()}`, logs: s.logs, pid: s.child.pid! };
}

const stores = [
  { name: 'embedded', env: () => ({ DATA_DIR: join(dir, `data-${randomBytes(6).toString('hex')}`) }), dispose: async () => undefined },
  {
    name: 'mongodb',
    env: () => ({ DATA_DIR: join(dir, `data-${randomBytes(6).toString('hex')}`), MONGODB_URI: mongoUri(), MONGODB_DB: `first_${randomBytes(6).toString('hex')}` }),
    async dispose(env: Record<string, string>) {
      const client = await MongoClient.connect(mongoUri());
      await client.db(env['MONGODB_DB']).dropDatabase().finally(() => client.close());
    },
  },
];

describe.each(stores)('a first start with four workers ($name)', (store) => {
  it(`starts every worker on a new database, ${STARTS} starts in a row`, { timeout: STARTS * 60_000 }, async () => {
    const failed: string[] = [];
    let started = 0;
    for (let i = 0; i < STARTS; i++) {
      const env = { ...store.env(), WORKERS: '4' };
      const outcome = await startAndStop(env);
      await store.dispose(env);
      if (outcome.started) started++;
      else failed.push(`start ${i + 1}: ${outcome.why}`);
    }
    expect(failed).toEqual([]);
    expect(started).toBe(STARTS);
  });
});

/** A file an older Keyward left halfway: some tables of the time, columns and tables missing, no WAL yet. */
function halfMigratedFile(file: string): void {
  const old = new Database(file);
  old.exec(`
    CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT NOT NULL, username_normalized TEXT NOT NULL UNIQUE,
      display_name TEXT NOT NULL, password_hash TEXT NOT NULL, roles TEXT NOT NULL DEFAULT '[]',
      groups TEXT NOT NULL DEFAULT '[]', created_at INTEGER NOT NULL);
    CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id TEXT, data TEXT NOT NULL, expires_at INTEGER NOT NULL);
    CREATE TABLE credentials (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL, public_key BLOB NOT NULL,
      counter INTEGER NOT NULL, transports TEXT NOT NULL, aaguid TEXT NOT NULL, device_type TEXT NOT NULL,
      backed_up INTEGER NOT NULL, flagged INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, last_used_at INTEGER);
    INSERT INTO users (id, username, username_normalized, display_name, password_hash, created_at) VALUES ('old-1', 'ace', 'ace', 'Ace', 'x', 0);
  `);
  old.close();
}

describe('two workers on a file half-migrated by an older version', () => {
  // Fewer than above (each start is as slow): what this adds is the migration of an old file.
  const STARTS_OLD_FILE = Math.max(1, Math.ceil(STARTS / 2));

  it(`starts every time, the primary migrating the file before the workers open it (${STARTS_OLD_FILE} starts)`, { timeout: STARTS_OLD_FILE * 60_000 }, async () => {
    const template = join(dir, `old-${randomBytes(6).toString('hex')}.sqlite`);
    halfMigratedFile(template);
    for (let i = 0; i < STARTS_OLD_FILE; i++) {
      const dataDir = join(dir, `old-data-${i}`);
      mkdirSync(dataDir, { mode: 0o700 });
      copyFileSync(template, join(dataDir, 'keyward.sqlite'));
      const outcome = await startAndStop({ DATA_DIR: dataDir, WORKERS: '2' });
      expect(outcome.started, outcome.why).toBe(true);
      // The data migration ran once, in the primary, before any worker existed.
      expect(outcome.logs.filter((l) => l.msg === 'Gave existing usernames their look-alike key').map((l) => l['pid'])).toEqual([outcome.pid]);

      const db = new Database(join(dataDir, 'keyward.sqlite'), { readonly: true });
      try {
        expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_FINGERPRINT);
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(db.prepare('SELECT username_skeleton FROM users WHERE id = ?').get('old-1')).toEqual({ username_skeleton: usernameSkeleton('ace') });
        const columns = (table: string) => db.prepare<[], { name: string }>(`PRAGMA table_info(${table})`).all().map((c) => c.name);
        expect(columns('sessions')).toContain('public_id');
        expect(columns('credentials')).toEqual(expect.arrayContaining(['attestation', 'model_revoked_by']));
        expect(columns('oidc')).toContain('keyward_session');
      } finally {
        db.close();
      }
    }
  });
});
