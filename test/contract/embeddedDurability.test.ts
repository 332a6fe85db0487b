import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedStorage } from '../../server/storage/embedded/createEmbeddedStorage.js';
import { aUser } from './storageContract.js';

describe('embedded store durability', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('keeps users and sessions across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyward-durable-'));
    dirs.push(dir);
    const u = aUser();
    const first = createEmbeddedStorage({ dataDir: dir });
    await first.users.create(u);
    await first.sessions.create({ idHash: 'h', publicId: 'p', userId: u.id, data: { userId: u.id }, createdAt: Date.now(), lastSeenAt: Date.now(), expiresAt: Date.now() + 60_000, ip: null, userAgent: null, aal: 1 });
    await first.close();

    const second = createEmbeddedStorage({ dataDir: dir });
    expect(await second.users.findById(u.id)).toEqual(u);
    expect((await second.sessions.get('h', Date.now()))?.userId).toBe(u.id);
    await second.close();
  });
});
