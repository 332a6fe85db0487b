// A forgotten password (issue 24): a single-use link to the confirmed address, then a second
// factor the account holds, then the new password. The mailbox alone is never enough, and
// the answer never tells whether an account exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../../server/config.js';
import type { Storage } from '../../server/storage/port.js';
import { storageFactories } from '../helpers/storageFactories.js';
import { startTestApp } from '../helpers/testApp.js';
import { useTwoInstances } from '../helpers/twoInstances.js';
import { HttpClient } from '../helpers/httpClient.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { useSmtpSink } from '../helpers/smtpSink.js';
import { assertWith, signUpWithKey } from '../helpers/webauthnFlows.js';
import { codeAt, nextStep, signUpWithTotp } from './totpSteps.js';
import { asClient, burst, countStatuses } from '../helpers/burst.js';
import { confirmAddress, isResetMail, requestReset, resetLinkIn } from '../helpers/resetFlows.js';

const NEW_PASSWORD = 'a brand new passphrase';

describe.each(storageFactories)('forgotten password ($name)', (factory) => {
  const env: Env = {};
  const smtp = useSmtpSink(env);
  const t = useApp(factory, env);

  async function aliceWithKey() {
    const c = t.app.client();
    const { key } = await signUpWithKey(c, 'alice');
    await confirmAddress(t.storage, 'alice', 'alice@mail.test', t.app.clock.now());
    return { c, key };
  }

  it('resets with the mailed link and a security key: other sessions end, a notice is sent, both events are audited', async () => {
    const { c: before, key } = await aliceWithKey();
    const token = await requestReset(t.app.client(), smtp, 'alice', 'alice@mail.test');
    const c = t.app.client();
    const opened = await c.post('/api/password-reset/open', { token });
    expect(opened.body).toMatchObject({ status: 'reset_required', user: { username: 'alice' }, factors: ['webauthn', 'recovery_code'] });
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'reset_required', aal: 0 });
    const verified = await assertWith(c, key);
    expect(verified.body).toMatchObject({ status: 'reset_password' });
    const done = await c.post('/api/password-reset/complete', { password: NEW_PASSWORD });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'authenticated', aal: 2 });
    expect((await before.get('/api/session')).body).toMatchObject({ status: 'anonymous' });
    expect((await t.app.client().post('/api/session', { username: 'alice', password: PASSWORD })).status).toBe(401);
    expect((await t.app.client().post('/api/session', { username: 'alice', password: NEW_PASSWORD })).body).toMatchObject({ status: 'mfa_required' });
    await smtp.waitFor('alice@mail.test', (m) => m.raw.includes('Your password was reset'));
    const userId = (await t.storage.users.findByUsername('alice'))!.id;
    const types = (await t.storage.audit.listForUser(userId, { limit: 50 })).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['password.reset_requested', 'password.reset', 'session.revoked_others']));
  });

  it('sets no password with the link alone, and the opened link reaches nothing else', async () => {
    await aliceWithKey();
    const token = await requestReset(t.app.client(), smtp, 'alice', 'alice@mail.test');
    const c = t.app.client();
    expect((await c.post('/api/password-reset/open', { token })).status).toBe(200);
    expect((await c.post('/api/password-reset/complete', { password: NEW_PASSWORD })).status).toBe(403);
    expect((await c.get('/api/whoami')).status).toBe(401);
    expect((await c.get('/api/me/sessions')).status).toBe(403);
    expect((await c.post('/api/webauthn/registration/options', {})).status).toBe(403);
    expect((await c.post('/api/totp/authenticators', {})).status).toBe(403);
    expect((await c.get('/api/authz')).status).toBe(401);
    // A signed-in session cannot use the reset's last step either.
    const { c: signedIn } = await aliceWithKey().catch(() => ({ c: t.app.client() }));
    expect((await signedIn.post('/api/password-reset/complete', { password: NEW_PASSWORD })).status).toBe(403);
    expect((await t.app.client().post('/api/session', { username: 'alice', password: PASSWORD })).body).toMatchObject({ status: 'mfa_required' });
  });

  it('resets with an authenticator code, under the guard of every second factor', async () => {
    const { secret } = await signUpWithTotp(t.app, 'carol');
    await confirmAddress(t.storage, 'carol', 'carol@mail.test', t.app.clock.now());
    const token = await requestReset(t.app.client(), smtp, 'carol', 'carol@mail.test');
    const c = t.app.client();
    expect((await c.post('/api/password-reset/open', { token })).body).toMatchObject({ factors: ['totp', 'recovery_code'] });
    nextStep(t.app);
    for (let i = 0; i < 5; i++) expect((await c.post('/api/totp/verify', { code: '000000' })).status).toBe(401);
    expect((await c.post('/api/totp/verify', { code: await codeAt(secret, t.app.clock.now()) })).status).toBe(429);
    t.app.clock.advance(3600_000);
    // The reset step lapsed meanwhile (PENDING_MFA_MAX_AGE): the link is spent, a new one is needed.
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'anonymous' });
    const again = await requestReset(t.app.client(), smtp, 'carol', 'carol@mail.test');
    const d = t.app.client();
    expect((await d.post('/api/password-reset/open', { token: again })).status).toBe(200);
    const ok = await d.post('/api/totp/verify', { code: await codeAt(secret, t.app.clock.now()) });
    expect(ok.body).toMatchObject({ status: 'reset_password' });
    expect((await d.post('/api/password-reset/complete', { password: NEW_PASSWORD })).body).toMatchObject({ status: 'authenticated' });
  });

  it('resets with a recovery code, and says so in the notice', async () => {
    const { recoveryCodes } = await signUpWithTotp(t.app, 'dave');
    await confirmAddress(t.storage, 'dave', 'dave@mail.test', t.app.clock.now());
    const token = await requestReset(t.app.client(), smtp, 'dave', 'dave@mail.test');
    const c = t.app.client();
    expect((await c.post('/api/password-reset/open', { token })).status).toBe(200);
    expect((await c.post('/api/recovery-codes/verify', { code: recoveryCodes![0] })).body).toMatchObject({ status: 'reset_password', remaining: 9 });
    expect((await c.post('/api/password-reset/complete', { password: NEW_PASSWORD })).body).toMatchObject({ status: 'authenticated' });
    const notices = (await c.get<{ type: string }[]>('/api/me/notices')).body.map((n) => n.type);
    expect(notices).toEqual(expect.arrayContaining(['recovery_code.used_to_reset', 'password.reset']));
  });

  it('opens a link once, whatever number of simultaneous uses', async () => {
    await aliceWithKey();
    const token = await requestReset(t.app.client(), smtp, 'alice', 'alice@mail.test');
    const c = t.app.client();
    const answers = await burst(Number(new URL(t.app.url).port), Array.from({ length: 50 }, () => asClient(c, 'POST', '/api/password-reset/open', { token })));
    expect(countStatuses(answers)).toEqual({ 200: 1, 403: 49 });
  });

  it('cancels every older link of the account once a reset succeeds, opened or not', async () => {
    const { key } = await aliceWithKey();
    const first = await requestReset(t.app.client(), smtp, 'alice', 'alice@mail.test');
    // Past the once-a-minute mail slot: a second link, and a third opened in another browser.
    t.app.clock.advance(61_000);
    const second = await requestReset(t.app.client(), smtp, 'alice', 'alice@mail.test');
    t.app.clock.advance(61_000);
    const third = await requestReset(t.app.client(), smtp, 'alice', 'alice@mail.test');
    const elsewhere = t.app.client();
    expect((await elsewhere.post('/api/password-reset/open', { token: third })).status).toBe(200);
    expect((await assertWith(elsewhere, key)).body).toMatchObject({ status: 'reset_password' });

    const c = t.app.client();
    expect((await c.post('/api/password-reset/open', { token: first })).status).toBe(200);
    expect((await assertWith(c, key)).body).toMatchObject({ status: 'reset_password' });
    expect((await c.post('/api/password-reset/complete', { password: NEW_PASSWORD })).status).toBe(200);

    const late = await t.app.client().post('/api/password-reset/open', { token: second });
    expect(late.status).toBe(403);
    expect(late.body).toMatchObject({ error: 'forbidden' });
    expect((await elsewhere.post('/api/password-reset/complete', { password: 'yet another passphrase' })).status).toBe(403);
    expect((await t.app.client().post('/api/session', { username: 'alice', password: NEW_PASSWORD })).body).toMatchObject({ status: 'mfa_required' });
    // A link asked for after the reset belongs to the new generation and works.
    t.app.clock.advance(61_000);
    const fresh = await requestReset(t.app.client(), smtp, 'alice', 'alice@mail.test');
    expect((await t.app.client().post('/api/password-reset/open', { token: fresh })).status).toBe(200);
  });

  it('refuses a link after PASSWORD_RESET_TTL (15 minutes by default)', async () => {
    await aliceWithKey();
    const early = await requestReset(t.app.client(), smtp, 'alice', 'alice@mail.test');
    t.app.clock.advance(899_000);
    expect((await t.app.client().post('/api/password-reset/open', { token: early })).status).toBe(200);
    const late = await requestReset(t.app.client(), smtp, 'alice', 'alice@mail.test');
    t.app.clock.advance(900_000);
    const refused = await t.app.client().post('/api/password-reset/open', { token: late });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'forbidden' });
  });

  it('tells an account without a second factor to ask an administrator', async () => {
    const c = t.app.client();
    expect((await c.post('/api/accounts', { username: 'erin', password: PASSWORD })).status).toBe(201);
    await confirmAddress(t.storage, 'erin', 'erin@mail.test', t.app.clock.now());
    const token = await requestReset(t.app.client(), smtp, 'erin', 'erin@mail.test');
    const refused = await t.app.client().post<{ message: string }>('/api/password-reset/open', { token });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/ask your administrator/);
  });

  it('answers every name alike: an account with a confirmed address, one without, an address, an unknown name', async () => {
    await aliceWithKey();
    await signUpWithKey(t.app.client(), 'frank');
    const mailsBefore = smtp.mails.length;
    const answers = [];
    for (const account of ['alice', 'frank', 'alice@mail.test', 'nobody-here', 'nobody@mail.test']) {
      const res = await t.app.client().post('/api/password-reset', { account });
      answers.push({ status: res.status, body: res.body, cookies: res.setCookies.length });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toMatchObject({ status: 202, body: { message: expect.stringMatching(/if the account has no confirmed address, ask your administrator/i) } });
    // Mailed to the confirmed address only (the request by address sent none: within a minute).
    await smtp.waitFor('alice@mail.test', (m) => isResetMail(m) && smtp.mails.indexOf(m) >= mailsBefore);
    expect(smtp.mails.slice(mailsBefore).filter(isResetMail).map((m) => m.to)).toEqual(['alice@mail.test']);
  });

  // The attempt store never lets more through than the limit; under contention it may refuse
  // a little early (MongoDB: insert, then count), so the counts are bounds, not exact numbers.
  it('limits requests per name and per address under a simultaneous burst, existing or not, and mails once', async () => {
    await aliceWithKey();
    const port = Number(new URL(t.app.url).port);
    const c = t.app.client();
    let spent = 0;
    for (const account of ['alice', 'nobody-here']) {
      const counts = countStatuses(await burst(port, Array.from({ length: 20 }, () => asClient(c, 'POST', '/api/password-reset', { account }))));
      expect(Object.keys(counts).sort(), account).toEqual(['202', '429']);
      expect(counts[202], account).toBeLessThanOrEqual(5);
      spent += counts[202]!;
    }
    const aliceId = (await t.storage.users.findByUsername('alice'))!.id;
    const requested = (await t.storage.audit.listForUser(aliceId, { limit: 50 })).filter((e) => e.type === 'password.reset_requested');
    expect(requested.filter((e) => e.details['sent'] === true)).toHaveLength(1);
    // Per address: 20 an hour, whichever names.
    const many = countStatuses(await burst(port, Array.from({ length: 25 }, (_, i) => asClient(c, 'POST', '/api/password-reset', { account: `name${i}` }))));
    expect(many[202]).toBeLessThanOrEqual(20 - spent);
    expect(many[429]).toBeGreaterThanOrEqual(25 - (20 - spent));
    // One by one, the rest of the hour's 20 go through exactly, and no more.
    let rest = 0;
    while ((await t.app.client().post('/api/password-reset', { account: `later${rest}` })).status === 202) rest++;
    expect(spent + many[202]! + rest).toBe(20);
  });
});

const COUNTED = ['users', 'noticeAddresses', 'invitations', 'attempts', 'audit', 'sessions', 'notices', 'credentials', 'totp', 'recovery'];

/** Every call the app makes to these stores, by name ("users.findByUsername"), in order. */
function countingStorage(storage: Storage, calls: string[]): Storage {
  return new Proxy(storage, {
    get(target, key) {
      const store = Reflect.get(target, key) as unknown;
      if (typeof key !== 'string' || !COUNTED.includes(key) || !store || typeof store !== 'object') return store;
      return new Proxy(store, {
        get(inner, op) {
          const fn = (inner as Record<string | symbol, unknown>)[op];
          return typeof fn === 'function' ? (...args: unknown[]) => (calls.push(`${String(key)}.${String(op)}`), fn.apply(inner, args)) : fn;
        },
      });
    },
  });
}

describe.each(storageFactories)('a reset request does the same work for every name ($name)', (factory) => {
  let storage: Storage;
  let dispose: () => Promise<void>;
  const smtp = useSmtpSink({});
  beforeAll(async () => {
    ({ storage, dispose } = await factory.create());
  });
  afterAll(() => dispose());

  it('makes the same store calls, in the same order, for an account with an address, one without, and an unknown name', async () => {
    const calls: string[] = [];
    const app = await startTestApp({ storage: countingStorage(storage, calls), env: { SMTP_URL: smtp.url } });
    try {
      await signUpWithKey(app.client(), 'alice');
      await signUpWithKey(app.client(), 'frank');
      await confirmAddress(storage, 'alice', 'alice@mail.test', app.clock.now());
      const workFor = async (account: string) => {
        calls.length = 0;
        const res = await app.client().post('/api/password-reset', { account });
        expect(res.status).toBe(202);
        return [...calls];
      };
      const alice = await workFor('alice');
      expect(alice).toContain('invitations.create');
      expect(await workFor('frank')).toEqual(alice);
      expect(await workFor('nobody-here')).toEqual(alice);
      expect(await workFor('nobody@mail.test')).toEqual(alice);
      await smtp.waitFor('alice@mail.test', isResetMail);
    } finally {
      await app.close();
    }
  });
});

describe('forgotten password across two instances', () => {
  const env: Env = {};
  const smtp = useSmtpSink(env);
  const t = useTwoInstances('reset', env);

  it('opens a link once and limits requests, whichever instance each request reaches', async () => {
    const onA = new HttpClient(t.a.url, t.a.config.origins[0]!);
    await signUpWithKey(onA, 'gail');
    await confirmAddress(t.stores[0]!, 'gail', 'gail@mail.test', t.a.clock.now());
    const ports = [Number(new URL(t.a.url).port), Number(new URL(t.b.url).port)];
    const requests = countStatuses(await burst((i) => ports[i % 2]!, Array.from({ length: 20 }, () => asClient(onA, 'POST', '/api/password-reset', { account: 'gail' }))));
    expect(requests[202]).toBeLessThanOrEqual(5);
    expect(requests[202]! + requests[429]!).toBe(20);
    const mail = await smtp.waitFor('gail@mail.test', isResetMail);
    const token = resetLinkIn(mail).searchParams.get('token')!;
    const opened = await burst((i) => ports[i % 2]!, Array.from({ length: 50 }, () => asClient(onA, 'POST', '/api/password-reset/open', { token })));
    expect(countStatuses(opened)).toEqual({ 200: 1, 403: 49 });
    const gailId = (await t.stores[0]!.users.findByUsername('gail'))!.id;
    const sent = (await t.stores[1]!.audit.listForUser(gailId, { limit: 50 })).filter((e) => e.type === 'password.reset_requested' && e.details['sent'] === true);
    expect(sent).toHaveLength(1);
  });
});
