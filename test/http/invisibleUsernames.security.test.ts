// Names that render are names that count: a username with a character that shows as nothing
// (Default_Ignorable_Code_Point, the Hangul fillers) is refused wherever an account is made,
// with a message naming the rule; accounts stored before keep their name, are flagged to
// administrators and at start-up, and cannot be enrolled under it.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { embeddedFactory, storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { TEST_SECRETS } from '../helpers/testApp.js';
import { accountWith, seedInvitation, signUpInvited } from '../helpers/accessFlows.js';
import { hashLinkToken } from '../../server/access/linkTokens.js';
import { usernameSkeleton } from '../../server/accounts/usernameSkeleton.js';
import { findInvisibleUsernames } from '../../server/accounts/findInvisibleUsernames.js';
import type { Storage } from '../../server/storage/port.js';

// Each renders as "boss" (or next to nothing) in most fonts. U+3164 and U+FFA0 become U+1160
// under NFKC, which every name goes through first.
const INVISIBLE: Array<[string, string]> = [
  ['\u1160', 'U+1160'],
  ['\u115F', 'U+115F'],
  ['\u3164', 'U+1160'],
  ['\uFFA0', 'U+1160'],
  ['\u200B', 'U+200B'],
  ['\u00AD', 'U+00AD'],
  ['\u2060', 'U+2060'],
  ['\uFE0F', 'U+FE0F'],
];

type ErrorBody = { error: string; message: string; details?: { fields: { path: string; message: string }[] } };

/** A user as an older Keyward stored it, before invisible characters were refused. */
async function legacyUser(storage: Storage, id: string, username: string) {
  const user = { id, username, usernameNormalized: username.toLowerCase(), usernameSkeleton: null, displayName: username, passwordHash: '!unset', roles: [], groups: [], email: null, createdAt: 0, language: null };
  expect(await storage.users.create(user)).toBe(true);
  return user;
}

describe.each(storageFactories)('usernames with invisible characters ($name)', (factory) => {
  const t = useApp(factory, { SIGNUP: 'invite', ADMIN_USERNAMES: 'root', RATE_LIMIT_SIGNUP_MAX: '1000' });

  it('refuses "boss" followed by each invisible character at sign-up, naming the character', async () => {
    const invitation = await seedInvitation(t.storage, t.app.clock.now());
    expect((await t.app.client().post('/api/accounts', accountWith(invitation, 'boss'))).status).toBe(201);
    for (const [char, named] of INVISIBLE) {
      const spare = await seedInvitation(t.storage, t.app.clock.now());
      const res = await t.app.client().post<ErrorBody>('/api/accounts', accountWith(spare, `boss${char}`));
      expect([res.status, res.body.error], named).toEqual([400, 'invalid_request']);
      expect(res.body.message, named).toMatch(/^username: must not contain invisible characters/);
      expect(res.body.message, named).toContain(named);
    }
    expect(await t.storage.users.search('boss', 10)).toHaveLength(1);
  });

  it('refuses an invisible character inside a name and alone between letters', async () => {
    for (const name of ['bo\u200Bss', '\u3164\u3164\u3164', 'a\u115Fb']) {
      const invitation = await seedInvitation(t.storage, t.app.clock.now());
      const res = await t.app.client().post<ErrorBody>('/api/accounts', accountWith(invitation, name));
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(res.body.message).toMatch(/invisible characters/);
    }
  });

  it('refuses them at invitation redemption without spending the invitation', async () => {
    const invitation = await seedInvitation(t.storage, t.app.clock.now());
    expect((await t.app.client().post('/api/accounts', accountWith(invitation, 'ann\u1160'))).status).toBe(400);
    expect((await t.app.client().post('/api/accounts', accountWith(invitation, 'ann'))).status).toBe(201);
  });

  it('refuses them when an administrator adds a user', async () => {
    const root = t.app.client();
    await signUpInvited(root, t.storage, t.app.clock.now(), 'root');
    for (const [char, named] of INVISIBLE) {
      const res = await root.post<ErrorBody>('/api/admin/users', { username: `boss${char}` });
      expect([res.status, res.body.error], named).toEqual([400, 'invalid_request']);
      expect(res.body.details?.fields[0]).toMatchObject({ path: 'username', message: expect.stringContaining(named) });
    }
    expect(await t.storage.users.search('boss', 10)).toEqual([]);
  });

  it('keeps an older account named with one, flags it to administrators and refuses its enrolment link', async () => {
    const legacy = await legacyUser(t.storage, 'legacy-1', 'boss\u1160');
    const token = 'legacy-enrolment-link-token-0123456789abcdef';
    const now = t.app.clock.now();
    await t.storage.invitations.create({ tokenHash: hashLinkToken(token), kind: 'enrolment', email: null, groups: [], userId: legacy.id, createdBy: null, createdAt: now, expiresAt: now + 3_600_000 });

    const shown = await t.app.client().get<ErrorBody>(`/api/enrolment?token=${token}`);
    expect([shown.status, shown.body.error]).toEqual([400, 'invalid_request']);
    expect(shown.body.message).toMatch(/invisible characters \(found U\+1160\)/);
    const used = await t.app.client().post<ErrorBody>('/api/enrolment', { token, password: PASSWORD });
    expect(used.status).toBe(400);
    // Refused before the link was used, and nothing about the account changed.
    expect(await t.storage.invitations.find(hashLinkToken(token), 'enrolment', t.app.clock.now())).not.toBeNull();
    expect(await t.storage.users.findById(legacy.id)).toMatchObject({ username: 'boss\u1160', passwordHash: '!unset' });

    const root = t.app.client();
    await signUpInvited(root, t.storage, t.app.clock.now(), 'root');
    const listed = await root.get<Array<{ username: string; invisibleCharacters: string[] }>>('/api/admin/users');
    expect(listed.status).toBe(200);
    expect(listed.body.map((u) => [u.username, u.invisibleCharacters])).toEqual(
      expect.arrayContaining([
        ['boss\u1160', ['U+1160']],
        ['root', []],
      ]),
    );
  });

  it('finds the older accounts named with one, as start-up reports them', async () => {
    await legacyUser(t.storage, 'legacy-a', 'zero\u200Bwidth');
    await legacyUser(t.storage, 'legacy-b', 'plain');
    await legacyUser(t.storage, 'legacy-c', '\u115Fboss\uFE0F');
    expect(await findInvisibleUsernames(t.storage.users)).toEqual([
      { id: 'legacy-a', username: 'zero\u200Bwidth', characters: ['U+200B'] },
      { id: 'legacy-c', username: '\u115Fboss\uFE0F', characters: ['U+115F', 'U+FE0F'] },
    ]);
  });
});

describe('the look-alike key leaves invisible characters out', () => {
  it('gives "boss" with any invisible character the skeleton of "boss"', () => {
    for (const [char, named] of INVISIBLE) expect(usernameSkeleton(`boss${char}`), named).toBe(usernameSkeleton('boss'));
    expect(usernameSkeleton('b\u200Boss')).toBe(usernameSkeleton('boss'));
  });
});

describe('keyward users add', () => {
  const REPO = join(import.meta.dirname, '..', '..');

  it('refuses a name with an invisible character and says which rule it broke', async () => {
    const { storage, dispose } = await embeddedFactory.create();
    try {
      const file = (storage as Storage & { file: string }).file;
      const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'users', 'add', 'boss\u1160'], {
        cwd: REPO,
        env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', DATA_DIR: dirname(file), ORIGINS: 'http://localhost:3000', ...TEST_SECRETS },
      });
      await expect(run).rejects.toMatchObject({ code: 65, stdout: expect.stringMatching(/Not added: username: must not contain invisible characters \(found U\+1160\)/) });
      expect(await storage.users.findByUsername('boss\u1160')).toBeNull();
    } finally {
      await dispose();
    }
  });
});
