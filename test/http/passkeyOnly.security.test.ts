// Passkey-only accounts (issue 24): made with a passkey that verifies the user instead of a
// password, aal 2 on their own; a password removed only after a step-up with such a passkey,
// and set again later. PASSWORDS=required|off: passwordsSetting.security.test.ts. On both stores.
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { assertWith, registerKey, signUpWithKey } from '../helpers/webauthnFlows.js';
import { passkeySignIn, passkeyStepUp, signUpWithPasskey, tryPasskeySignUp } from '../helpers/passkeyFlows.js';
import { seedInvitation } from '../helpers/accessFlows.js';
import { seedResetLink } from '../helpers/resetFlows.js';
import { NO_PASSWORD, UNUSABLE_PASSWORD } from '../../server/accounts/createAccountService.js';
import { aUser } from '../contract/storageContract.js';

const NEW_PASSWORD = 'a passphrase after all';

describe.each(storageFactories)('passkey-only accounts ($name)', (factory) => {
  const t = useApp(factory);

  it('creates an account with a passkey and no password: discoverable and user-verifying, aal 2, recovery codes shown', async () => {
    const c = t.app.client();
    const key = new SoftAuthenticator(c.origin);
    const { options, created } = await tryPasskeySignUp(c, 'paula', key);
    expect(options.body.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.recoveryCodes).toHaveLength(10);
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'authenticated', aal: 2, password: false, factors: ['webauthn', 'recovery_code'] });
    expect((await c.get('/api/whoami')).body).toMatchObject({ aal: 2, amr: ['hwk', 'user'] });
    // The password step knows no password for the account: the usual vague answer.
    expect((await t.app.client().post('/api/session', { username: 'paula', password: PASSWORD })).status).toBe(401);
    const again = t.app.client();
    expect((await passkeySignIn(again, key)).body).toMatchObject({ status: 'authenticated', user: { username: 'paula' } });
    expect((await again.get('/api/session')).body).toMatchObject({ aal: 2, password: false });
  });

  it('refuses a passkey that does not verify the user, and then holds no account and no key', async () => {
    const c = t.app.client();
    const key = new SoftAuthenticator(c.origin, { uv: false });
    const { created } = await tryPasskeySignUp(c, 'ulla', key);
    expect(created.status).toBe(401);
    expect(created.body).toMatchObject({ error: 'webauthn_verification_failed' });
    expect(await t.storage.users.findByUsername('ulla')).toBeNull();
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'anonymous' });
    // The name is still free, for a password or a passkey.
    await signUpWithPasskey(t.app.client(), 'ulla');
  });

  it('spends an invitation only when the passkey verified, and creates the account in its groups', async () => {
    const invitation = await seedInvitation(t.storage, t.app.clock.now(), { groups: ['staff'] });
    const c = t.app.client();
    const refused = await tryPasskeySignUp(c, 'ivo', new SoftAuthenticator(c.origin, { uv: false }), { invitation });
    expect(refused.created.status).toBe(401);
    const { user } = await signUpWithPasskey(t.app.client(), 'ivo', undefined, { invitation });
    expect((await t.storage.users.findById(user.id))?.groups).toEqual(['staff']);
    const spent = await tryPasskeySignUp(t.app.client(), 'ivo2', new SoftAuthenticator(c.origin), { invitation });
    expect(spent.options.status).toBe(403);
  });

  it('refuses the answer of a passkey made for another sign-up in the same session', async () => {
    const c = t.app.client();
    const key = new SoftAuthenticator(c.origin);
    const first = await c.post('/api/accounts/passkey/options', { username: 'first' });
    await c.post('/api/accounts/passkey/options', { username: 'second' });
    // The session now expects the second account's id; the first options' key names the first.
    const res = await c.post('/api/accounts/passkey', { username: 'first', response: key.register(first.body as never) });
    expect(res.status).toBe(401);
    expect(await t.storage.users.findByUsername('first')).toBeNull();
  });

  it('removes the password only after a step-up with a passkey that verifies the user', async () => {
    const c = t.app.client();
    const { key } = await signUpWithKey(c, 'alice');
    const other = t.app.client();
    expect((await other.post('/api/session', { username: 'alice', password: PASSWORD })).status).toBe(200);
    await assertWith(other, key);
    // A fresh step-up with the key as a second factor (its owner named by the session) is not enough.
    const refused = await c.delete('/api/me/password');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'step_up_required', details: { passkey: true } });
    // A passkey prompt that does not verify the user is refused.
    expect((await passkeyStepUp(c, key, { uv: false })).status).toBe(401);
    expect((await c.delete('/api/me/password')).status).toBe(403);
    expect((await passkeyStepUp(c, key)).status).toBe(200);
    expect((await c.delete('/api/me/password')).status).toBe(204);
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'authenticated', password: false });
    expect((await other.get('/api/session')).body).toMatchObject({ status: 'anonymous' });
    expect((await t.app.client().post('/api/session', { username: 'alice', password: PASSWORD })).status).toBe(401);
    expect((await passkeySignIn(t.app.client(), key)).status).toBe(200);
    const userId = (await t.storage.users.findByUsername('alice'))!.id;
    expect((await t.storage.audit.listForUser(userId, { limit: 50 })).map((e) => e.type)).toContain('password.removed');
  });

  it('refuses a passkey step-up older than STEP_UP_MAX_AGE, and another person\'s passkey', async () => {
    const c = t.app.client();
    const { key } = await signUpWithKey(c, 'alice');
    const { key: bobsKey } = await signUpWithPasskey(t.app.client(), 'bob');
    expect((await passkeyStepUp(c, bobsKey)).status).toBe(401);
    expect((await c.get('/api/session')).body).toMatchObject({ user: { username: 'alice' } });
    expect((await passkeyStepUp(c, key)).status).toBe(200);
    t.app.clock.advance(301_000);
    expect((await c.delete('/api/me/password')).body).toMatchObject({ error: 'step_up_required' });
  });

  it('sets a password again without a current one after a step-up, and signs in with it', async () => {
    const c = t.app.client();
    const { key } = await signUpWithPasskey(c, 'paula');
    expect((await c.post('/api/me/password', { newPassword: NEW_PASSWORD })).status).toBe(204);
    expect((await c.get('/api/session')).body).toMatchObject({ password: true });
    const next = t.app.client();
    expect((await next.post('/api/session', { username: 'paula', password: NEW_PASSWORD })).body).toMatchObject({ status: 'mfa_required' });
    expect((await assertWith(next, key)).status).toBe(200);
    // Having a password again, changing it asks for the current one.
    expect((await c.post('/api/me/password', { newPassword: 'yet another passphrase' })).status).toBe(400);
    t.app.clock.advance(301_000);
    expect((await c.post('/api/me/password', { newPassword: 'yet another passphrase', currentPassword: NEW_PASSWORD })).body).toMatchObject({ error: 'step_up_required' });
  });

  it('keeps the last passkey of an account without a password, whatever MFA_REQUIRED says', async () => {
    const c = t.app.client();
    const { credential, key } = await signUpWithPasskey(c, 'paula');
    const removed = await c.delete(`/api/webauthn/credentials/${credential.id}`);
    expect(removed.status).toBe(409);
    expect(removed.body).toMatchObject({ error: 'last_factor' });
    // With a second passkey, either one can go.
    const second = new SoftAuthenticator(c.origin);
    expect((await registerKey(c, second)).status).toBe(201);
    expect((await c.delete(`/api/webauthn/credentials/${credential.id}`)).status).toBe(204);
    expect((await passkeySignIn(t.app.client(), second)).status).toBe(200);
    void key;
  });

  it('reports a synced passkey as swk and a device-bound one as hwk, both with user verification at aal 2', async () => {
    const synced = t.app.client();
    await signUpWithPasskey(synced, 'sync', undefined, {}, { backedUp: true });
    expect((await synced.get('/api/authz?aal=2')).headers.get('remote-amr')).toBe('swk,user');
    const bound = t.app.client();
    await signUpWithPasskey(bound, 'bound');
    const authz = await bound.get('/api/authz?aal=2');
    expect(authz.status).toBe(200);
    expect(authz.headers.get('remote-amr')).toBe('hwk,user');
    expect(authz.headers.get('remote-aal')).toBe('2');
    const token = await bound.post<{ token: string }>('/api/token', {});
    const claims = JSON.parse(Buffer.from(token.body.token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ aal: 2, amr: ['hwk', 'user'] });
  });

  it("uses an administrator's enrolment link with a passkey instead of a first password, once", async () => {
    const user = aUser({ passwordHash: UNUSABLE_PASSWORD });
    await t.storage.users.create(user);
    const token = await seedInvitation(t.storage, t.app.clock.now(), { kind: 'enrolment', userId: user.id });
    const c = t.app.client();
    const key = new SoftAuthenticator(c.origin);
    const options = await c.post('/api/enrolment/passkey/options', { token });
    expect(options.body).toMatchObject({ user: { name: user.username }, authenticatorSelection: { residentKey: 'required', userVerification: 'required' } });
    const done = await c.post('/api/enrolment/passkey', { token, response: key.register(options.body as never) });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ user: { id: user.id }, recoveryCodes: expect.any(Array) });
    expect((await c.get('/api/whoami')).body).toMatchObject({ aal: 2, amr: ['hwk', 'user'] });
    expect((await t.storage.users.findById(user.id))?.passwordHash).toBe(NO_PASSWORD);
    expect((await t.app.client().post('/api/enrolment', { token, password: NEW_PASSWORD })).status).toBe(403);
    expect((await passkeySignIn(t.app.client(), key)).status).toBe(200);
  });

  it('lets a passkey-only person who lost the passkey back in with the mailed link and a recovery code: a new passkey or a password', async () => {
    // (the mail itself is covered in passwordReset.security.test.ts; here the link is stored directly)
    const { user, recoveryCodes } = await signUpWithPasskey(t.app.client(), 'paula');
    const c = t.app.client();
    const token = await seedResetLink(t.storage, user.id, t.app.clock.now());
    expect((await c.post('/api/password-reset/open', { token })).body).toMatchObject({ status: 'reset_required', factors: ['webauthn', 'recovery_code'] });
    expect((await c.post('/api/recovery-codes/verify', { code: recoveryCodes[0] })).body).toMatchObject({ status: 'reset_password' });
    const fresh = new SoftAuthenticator(c.origin);
    const options = await c.post('/api/password-reset/passkey/options', {});
    expect(options.body).toMatchObject({ authenticatorSelection: { residentKey: 'required', userVerification: 'required' } });
    const done = await c.post('/api/password-reset/passkey', { response: fresh.register(options.body as never) });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'authenticated', aal: 2, password: false });
    expect((await passkeySignIn(t.app.client(), fresh)).status).toBe(200);

    const second = t.app.client();
    const token2 = await seedResetLink(t.storage, user.id, t.app.clock.now());
    expect((await second.post('/api/password-reset/open', { token: token2 })).status).toBe(200);
    expect((await second.post('/api/recovery-codes/verify', { code: recoveryCodes[1] })).status).toBe(200);
    expect((await second.post('/api/password-reset/complete', { password: NEW_PASSWORD })).status).toBe(200);
    expect((await t.app.client().post('/api/session', { username: 'paula', password: NEW_PASSWORD })).body).toMatchObject({ status: 'mfa_required' });
  });
});
