// The embedded store answers forward-auth's session read from memory while the database is
// unchanged (server/storage/embedded/sessionReadCache.ts). What must never happen: an answer
// from memory after a change anywhere, from a write not yet committed, or past the session's
// end. Each case counts the reads it served from memory; none bounds a time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedStorage } from '../../server/storage/embedded/createEmbeddedStorage.js';
import type { SessionRecord, Storage } from '../../server/storage/port.js';
import type { SessionReadCacheStats } from '../../server/storage/embedded/sessionReadCache.js';
import { aUser } from './storageContract.js';

const NOW = 1_700_000_000_000;
const dirs: string[] = [];
const opened: Storage[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(dir?: string): { storage: Storage; stats: SessionReadCacheStats; dir: string } {
  const d = dir ?? mkdtempSync(join(tmpdir(), 'keyward-session-cache-'));
  if (!dir) dirs.push(d);
  const storage = createEmbeddedStorage({ dataDir: d });
  opened.push(storage);
  return { storage, stats: (storage.sessions as unknown as { stats: SessionReadCacheStats }).stats, dir: d };
}

async function aSession(storage: Storage, overrides: Partial<SessionRecord> = {}): Promise<SessionRecord> {
  const user = aUser({ id: 'u1', usernameNormalized: 'ann', username: 'ann', groups: ['staff'] });
  await storage.users.create(user);
  const s: SessionRecord = { idHash: 'h1', publicId: 'p1', userId: user.id, data: { userId: user.id, aal: 2 }, createdAt: NOW, lastSeenAt: NOW, expiresAt: NOW + 60_000, ip: null, userAgent: null, aal: 2, ...overrides };
  expect(await storage.sessions.create(s)).toBe(true);
  return s;
}

describe('the embedded store remembers forward-auth session reads only while nothing changes', () => {
  it('answers a repeated read from memory while nothing is written', async () => {
    const { storage, stats } = await open();
    await aSession(storage);
    const first = await storage.sessions.getWithUser('h1', NOW);
    expect(first).toMatchObject({ idHash: 'h1', user: { username: 'ann', groups: ['staff'] } });
    for (let i = 0; i < 5; i++) expect(await storage.sessions.getWithUser('h1', NOW + i)).toEqual(first);
    expect(stats).toEqual({ hits: 5, misses: 1 });
  });

  it('forgets it the moment another process commits: a session ended there is gone here', async () => {
    const a = await open();
    const b = open(a.dir);
    await aSession(a.storage);
    await a.storage.sessions.getWithUser('h1', NOW);
    expect(await a.storage.sessions.getWithUser('h1', NOW)).not.toBeNull();
    expect(a.stats.hits).toBe(1);
    await b.storage.sessions.destroy('h1');
    expect(await a.storage.sessions.getWithUser('h1', NOW)).toBeNull();
    expect(a.stats.hits).toBe(1);
  });

  it("forgets it at this connection's own write: a group change shows at the next read", async () => {
    const { storage, stats } = await open();
    await aSession(storage);
    await storage.sessions.getWithUser('h1', NOW);
    await storage.users.changeGroups('u1', ['admins'], ['staff']);
    expect((await storage.sessions.getWithUser('h1', NOW))?.user?.groups).toEqual(['admins']);
    expect(stats.hits).toBe(0);
  });

  it('holds a remembered session to its own end', async () => {
    const { storage, stats } = await open();
    await aSession(storage);
    expect(await storage.sessions.getWithUser('h1', NOW + 59_999)).not.toBeNull();
    expect(await storage.sessions.getWithUser('h1', NOW + 60_000)).toBeNull();
    expect(stats.hits).toBe(0);
  });

  it('never keeps what it read inside a write batch; the first read after the commit is kept', async () => {
    const { storage, stats } = await open();
    await aSession(storage);
    // Same turn: the touch opens a batch; the read joins it and is answered after its commit.
    const [, inBatch] = await Promise.all([storage.sessions.update('h1', { lastSeenAt: NOW + 1, expiresAt: NOW + 60_000, ip: null }, NOW), storage.sessions.getWithUser('h1', NOW)]);
    expect(inBatch?.lastSeenAt).toBe(NOW + 1);
    // The commit moved the WAL-index header after that read began: not kept, read again.
    expect((await storage.sessions.getWithUser('h1', NOW))?.lastSeenAt).toBe(NOW + 1);
    expect(stats).toEqual({ hits: 0, misses: 2 });
    // That read saw no commit while it ran: from memory now.
    expect((await storage.sessions.getWithUser('h1', NOW))?.lastSeenAt).toBe(NOW + 1);
    expect(stats).toEqual({ hits: 1, misses: 2 });
  });

  it('refuses to let a caller change a remembered session', async () => {
    const { storage } = await open();
    await aSession(storage);
    const read = (await storage.sessions.getWithUser('h1', NOW))!;
    expect(() => ((read.data as Record<string, unknown>)['aal'] = 1)).toThrow(TypeError);
    expect(() => read.user!.groups.push('admins')).toThrow(TypeError);
    expect((await storage.sessions.getWithUser('h1', NOW))?.data).toEqual({ userId: 'u1', aal: 2 });
  });
});
