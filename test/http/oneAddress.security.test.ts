// One address, one account: notices (and later password resets) go to an address, so an
// invitation, an added user or a sign-up may not bind an address another account holds (its
// e-mail or its confirmed notice address, in any case). Refused when the invitation is made
// and when it is redeemed; simultaneous redemptions for one address make one account.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { embeddedFactory, storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { TEST_SECRETS } from '../helpers/testApp.js';
import { accountWith, seedInvitation, signUpInvited } from '../helpers/accessFlows.js';
import { burst, countStatuses } from '../helpers/burst.js';
import type { Storage } from '../../server/storage/port.js';

type ErrorBody = { error: string; message: string };

describe.each(storageFactories)('one address, one account ($name)', (factory) => {
  const t = useApp(factory, { SIGNUP: 'invite', ADMIN_USERNAMES: 'root', RATE_LIMIT_SIGNUP_MAX: '1000' });
  const now = () => t.app.clock.now();
  const admin = async () => {
    const c = t.app.client();
    await signUpInvited(c, t.storage, now(), 'root');
    return c;
  };
  const redeem = async (username: string, email: string) => {
    const invitation = await seedInvitation(t.storage, now(), { email });
    return t.app.client().post<ErrorBody>('/api/accounts', accountWith(invitation, username, { email }));
  };

  it('refuses to make an invitation for an address another account has, in any case', async () => {
    const root = await admin();
    expect((await redeem('ann', 'ann@example.com')).status).toBe(201);
    const res = await root.post<ErrorBody>('/api/admin/invitations', { email: 'ANN@Example.com' });
    expect([res.status, res.body.error]).toEqual([409, 'email_taken']);
    expect(res.body.message).toMatch(/another account/);
    expect((await root.post('/api/admin/invitations', { email: 'someone.else@example.com' })).status).toBe(201);
  });

  it('refuses to redeem an invitation bound to an address another account took since it was made', async () => {
    const first = await seedInvitation(t.storage, now(), { email: 'bob@example.com' });
    const second = await seedInvitation(t.storage, now(), { email: 'bob@example.com' });
    expect((await t.app.client().post('/api/accounts', accountWith(first, 'bob', { email: 'bob@example.com' }))).status).toBe(201);
    const res = await t.app.client().post<ErrorBody>('/api/accounts', accountWith(second, 'bobby', { email: 'Bob@Example.com' }));
    expect([res.status, res.body.error]).toEqual([409, 'email_taken']);
    expect(await t.storage.users.findByUsername('bobby')).toBeNull();
    expect((await t.storage.users.findByEmail('bob@example.com'))?.username).toBe('bob');
  });

  it("counts another account's confirmed notice address as held", async () => {
    const root = await admin();
    const rootId = (await t.storage.users.findByUsername('root'))!.id;
    await t.storage.noticeAddresses.setConfirmed({ userId: rootId, address: 'Carol@Example.com', confirmedAt: now() });
    expect((await root.post<ErrorBody>('/api/admin/invitations', { email: 'carol@example.com' })).body.error).toBe('email_taken');
    const res = await redeem('carol', 'carol@example.com');
    expect([res.status, res.body.error]).toEqual([409, 'email_taken']);
    expect((await root.post<ErrorBody>('/api/admin/users', { username: 'carol', email: 'CAROL@example.com' })).body.error).toBe('email_taken');
    expect(await t.storage.users.findByUsername('carol')).toBeNull();
  });

  it('refuses an administrator adding a user with an address another account has', async () => {
    const root = await admin();
    const added = await root.post<{ user: { email: string } }>('/api/admin/users', { username: 'dave', email: 'Dave@Example.com' });
    expect(added.status).toBe(201);
    expect(added.body.user.email).toBe('dave@example.com');
    const again = await root.post<ErrorBody>('/api/admin/users', { username: 'david', email: 'dave@example.com' });
    expect([again.status, again.body.error]).toEqual([409, 'email_taken']);
    expect(await t.storage.users.findByUsername('david')).toBeNull();
    expect((await redeem('davey', 'dave@example.com')).status).toBe(409);
  });

  it('makes ONE account from many simultaneous redemptions of invitations bound to one address', async () => {
    const port = Number(new URL(t.app.url).port);
    const requests = [];
    for (let i = 0; i < 12; i++) {
      const invitation = await seedInvitation(t.storage, now(), { email: 'erin@example.com' });
      // Different cases of the address, all the same mailbox.
      const email = i % 2 ? 'Erin@Example.com' : 'erin@example.com';
      requests.push({ method: 'POST', path: '/api/accounts', headers: { Origin: t.app.origin }, json: accountWith(invitation, `erin${i}`, { email }) });
    }
    expect(countStatuses(await burst(port, requests))).toEqual({ 201: 1, 409: 11 });
    expect(await t.storage.users.search('erin', 20)).toHaveLength(1);
  });
});

describe.each(storageFactories)('one address, one account with open sign-up ($name)', (factory) => {
  const t = useApp(factory, { SIGNUP: 'open', RATE_LIMIT_SIGNUP_MAX: '1000' });

  it('refuses a sign-up with an address another account has, in any case', async () => {
    expect((await t.app.client().post('/api/accounts', { username: 'gus', password: PASSWORD, email: 'gus@example.com' })).status).toBe(201);
    const res = await t.app.client().post<ErrorBody>('/api/accounts', { username: 'gustav', password: PASSWORD, email: 'GUS@example.com' });
    expect([res.status, res.body.error]).toEqual([409, 'email_taken']);
    expect((await t.app.client().post('/api/accounts', { username: 'gustav', password: PASSWORD })).status).toBe(201);
  });
});

describe('keyward users add --email and keyward invite --email', () => {
  const REPO = join(import.meta.dirname, '..', '..');

  it('refuses an address another account has', async () => {
    const { storage, dispose } = await embeddedFactory.create();
    try {
      const file = (storage as Storage & { file: string }).file;
      const cli = (args: string[]) =>
        promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
          cwd: REPO,
          env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', DATA_DIR: dirname(file), ORIGINS: 'http://localhost:3000', SIGNUP: 'invite', ...TEST_SECRETS },
        });
      expect((await cli(['users', 'add', 'fay', '--email', 'fay@example.com'])).stdout).toContain('Added "fay"');
      expect((await storage.users.findByUsername('fay'))?.email).toBe('fay@example.com');
      await expect(cli(['users', 'add', 'faye', '--email', 'FAY@example.com'])).rejects.toMatchObject({ code: 1, stdout: expect.stringMatching(/belongs to another account/) });
      await expect(cli(['invite', '--email', 'Fay@Example.com'])).rejects.toMatchObject({ code: 1, stdout: expect.stringMatching(/belongs to another account/) });
      expect(await storage.users.findByUsername('faye')).toBeNull();
    } finally {
      await dispose();
    }
  });
});
