// Several processes opening one embedded store at once, as the WORKERS of a cluster do: on a
// new file, SQLite may refuse one of them at once (SQLITE_BUSY without waiting) while another
// switches the file to WAL; on a prepared file, an open must write nothing at all.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedStorage } from '../../server/storage/embedded/createEmbeddedStorage.js';
import { aUser } from './storageContract.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'keyward-open-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

async function race(racers: number, rounds: number): Promise<{ opened: number; failures: string[] }[]> {
  const base = tempDir();
  const children = Array.from({ length: racers }, () =>
    spawn(process.execPath, ['--import', 'tsx', 'test/contract/embeddedOpenRacer.ts', base, String(rounds), '40'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const outputs = children.map((c) => {
    const out = { text: '' };
    c.stdout.on('data', (d: Buffer) => (out.text += d.toString()));
    return out;
  });
  const exits = children.map((c) => once(c, 'exit'));
  // Every racer has loaded the server code (tsx compiles it) before the first round is set.
  await expect.poll(() => outputs.every((o) => o.text.startsWith('ready\n')), { timeout: 30_000 }).toBe(true);
  const t0 = Date.now() + 200;
  for (const c of children) c.stdin.end(String(t0));
  await Promise.all(exits);
  return outputs.map((o) => JSON.parse(o.text.slice('ready\n'.length)) as { opened: number; failures: string[] });
}

describe('embedded store opened by several processes at once', () => {
  // Two racers (this machine's two cores run them truly at once). Before preparation retried
  // the WAL switch and took the write lock first, about one round in eight failed with
  // "database is locked", so 60 rounds fail the old code all but surely.
  it('opens a new file from two processes at the same moment, round after round', { timeout: 60_000 }, async () => {
    const ROUNDS = 60;
    const results = await race(2, ROUNDS);
    expect(results.flatMap((r) => r.failures)).toEqual([]);
    expect(results.map((r) => r.opened)).toEqual([ROUNDS, ROUNDS]);
  });

  it('opens a prepared file without writing, even while another process holds the write lock', async () => {
    const dir = tempDir();
    const first = createEmbeddedStorage({ dataDir: dir });
    expect(await first.users.create(aUser({ id: 'u1', usernameNormalized: 'ann' }))).toBe(true);
    await first.close();
    const busy = new Database(join(dir, 'keyward.sqlite'));
    busy.exec('BEGIN IMMEDIATE');
    try {
      const second = createEmbeddedStorage({ dataDir: dir });
      expect((await second.users.findById('u1'))?.usernameNormalized).toBe('ann');
      await second.close();
    } finally {
      busy.exec('ROLLBACK');
      busy.close();
    }
  });

  it('names the file, the SQLite code and what to do when it cannot open it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'keyward.sqlite'), 'not a database, just some text that is long enough to have a header'.repeat(10));
    expect(() => createEmbeddedStorage({ dataDir: dir })).toThrow(
      `Could not open the embedded store ${join(dir, 'keyward.sqlite')} (SQLITE_NOTADB: file is not a database): the file is not a Keyward database or is damaged: restore it from a backup, or point DATA_DIR elsewhere.`,
    );
  });

  it('says what to do when another process keeps it locked', { timeout: 30_000 }, () => {
    const dir = tempDir();
    const file = join(dir, 'keyward.sqlite');
    const holder = new Database(file);
    holder.exec('CREATE TABLE elsewhere (x); BEGIN EXCLUSIVE');
    try {
      expect(() => createEmbeddedStorage({ dataDir: dir })).toThrow(
        new RegExp(`^Could not open the embedded store ${file} \\(SQLITE_BUSY: database is locked\\): another process held it .*second Keyward`),
      );
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});
