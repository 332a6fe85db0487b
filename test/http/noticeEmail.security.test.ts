// Security notices are mailed only to an address the person confirmed by opening a link
// sent to it: never to an unconfirmed address, never to a username that looks like one
// (anyone could otherwise make Keyward mail a third party). The link works once and expires.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../server/config.js';
import { storageFactories } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import type { HttpClient } from '../helpers/httpClient.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { registerKey, signUpWithKey } from '../helpers/webauthnFlows.js';
import { useSmtpSink } from '../helpers/smtpSink.js';
import { burst, countStatuses } from '../helpers/burst.js';
import { useTwoInstances } from '../helpers/twoInstances.js';

const NOTICE = 'A security key was added to your account.';
const isNotice = (m: { raw: string }) => m.raw.includes(NOTICE);

async function setAddress(c: HttpClient, email: string) {
  const res = await c.post('/api/me/email', { email });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(res.body).toEqual({ available: true, address: email, confirmed: false });
}

describe.each(storageFactories)('notice e-mail address ($name)', (factory) => {
  const env: Env = {};
  const smtp = useSmtpSink(env);
  const t = useApp(factory, env);

  /** Sets, confirms by the mailed link, and returns the token that was used. */
  async function confirmAddress(c: HttpClient, email: string): Promise<string> {
    await setAddress(c, email);
    const link = smtp.linkIn(await smtp.waitFor(email, (m) => m.raw.includes('confirm-email')));
    expect(link.origin).toBe(t.app.origin);
    const token = link.searchParams.get('token')!;
    const res = await t.app.client().post('/api/me/email/confirm', { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return token;
  }

  it('mails notices to the confirmed address once its link is opened', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'alice');
    await confirmAddress(c, 'alice@mail.test');
    expect((await c.get('/api/me/email')).body).toEqual({ available: true, address: 'alice@mail.test', confirmed: true });
    await registerKey(c, new SoftAuthenticator(t.app.origin));
    const mail = await smtp.waitFor('alice@mail.test', isNotice);
    expect(mail.raw).toContain('Subject: Keyward: security notice');
  });

  it('mails nothing to a username that looks like an address, nor to an unconfirmed address', async () => {
    const erin = t.app.client();
    await signUpWithKey(erin, 'erin@victim.test');
    await setAddress(erin, 'erin-pending@mail.test');
    await smtp.waitFor('erin-pending@mail.test'); // the confirmation mail itself, nothing else
    await registerKey(erin, new SoftAuthenticator(t.app.origin));
    // A person with a confirmed address, whose notice is sent after erin's.
    const frank = t.app.client();
    await signUpWithKey(frank, 'frank');
    await confirmAddress(frank, 'frank@mail.test');
    await registerKey(frank, new SoftAuthenticator(t.app.origin));
    await smtp.waitFor('frank@mail.test', isNotice);
    expect(smtp.mails.filter((m) => m.to === 'erin@victim.test')).toEqual([]);
    expect(smtp.mails.filter((m) => m.to === 'erin-pending@mail.test').map(isNotice)).toEqual([false]);
  });

  it('accepts a confirmation link once', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'gina');
    const token = await confirmAddress(c, 'gina@mail.test');
    const again = await t.app.client().post<{ error: string; message: string }>('/api/me/email/confirm', { token });
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/expired or was already used/);
  });

  it('accepts exactly one of many simultaneous uses of one link', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'hana');
    await setAddress(c, 'hana@mail.test');
    const token = smtp.linkIn(await smtp.waitFor('hana@mail.test')).searchParams.get('token')!;
    const request = { method: 'POST', path: '/api/me/email/confirm', headers: { Origin: t.app.origin }, json: { token } };
    const statuses = countStatuses(await burst(Number(new URL(t.app.url).port), Array.from({ length: 30 }, () => request)));
    expect(statuses).toEqual({ 200: 1, 400: 29 });
  });

  it('refuses a link after it expired, by the injected clock', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'ivan');
    await setAddress(c, 'ivan@mail.test');
    const token = smtp.linkIn(await smtp.waitFor('ivan@mail.test')).searchParams.get('token')!;
    t.app.clock.advance(24 * 3600_000);
    expect((await t.app.client().post('/api/me/email/confirm', { token })).status).toBe(400);
    const ivan = (await t.storage.users.findByUsername('ivan'))!;
    expect(await t.storage.noticeAddresses.findConfirmed(ivan.id)).toBeNull();
  });

  it('voids an earlier link when a new address is set, and keeps the confirmed one until then', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'joan');
    await confirmAddress(c, 'jo@mail.test');
    await setAddress(c, 'jo-old@mail.test');
    const old = smtp.linkIn(await smtp.waitFor('jo-old@mail.test')).searchParams.get('token')!;
    await setAddress(c, 'jo-new@mail.test');
    expect((await t.app.client().post('/api/me/email/confirm', { token: old })).status).toBe(400);
    await registerKey(c, new SoftAuthenticator(t.app.origin));
    await smtp.waitFor('jo@mail.test', isNotice);
  });

  it('needs a fresh second factor to set or remove the address', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'kim');
    await confirmAddress(c, 'kim@mail.test');
    t.app.clock.advance(301_000);
    expect((await c.post<{ error: string }>('/api/me/email', { email: 'attacker@evil.test' })).body.error).toBe('step_up_required');
    expect((await c.delete<{ error: string }>('/api/me/email')).body.error).toBe('step_up_required');
    expect((await c.get('/api/me/email')).body).toMatchObject({ address: 'kim@mail.test', confirmed: true });
    expect(smtp.mails.filter((m) => m.to === 'attacker@evil.test')).toEqual([]);
  });

  it('removes the address, after which no notice is mailed', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'lea');
    await confirmAddress(c, 'lea@mail.test');
    expect((await c.delete('/api/me/email')).status).toBe(204);
    expect((await c.get('/api/me/email')).body).toEqual({ available: true, address: null, confirmed: false });
  });
});

describe('notice e-mail address without a mail server', () => {
  const t = useApp(storageFactories[0]!);

  it('says no address can be set when the server sends no e-mail', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'moe');
    expect((await c.get('/api/me/email')).body).toEqual({ available: false, address: null, confirmed: false });
    expect((await c.post('/api/me/email', { email: 'mo@mail.test' })).status).toBe(400);
  });
});

describe('one confirmation link used on two instances at once', () => {
  const t = useTwoInstances('noticeaddr');

  it('accepts exactly one of many simultaneous uses across instances', async () => {
    const token = randomBytes(32).toString('base64url');
    const tokenHash = createHash('sha256').update(token).digest('base64url');
    const now = t.a.clock.now();
    await t.stores[0]!.noticeAddresses.savePending({ tokenHash, userId: 'u-two', address: 'two@mail.test', createdAt: now, expiresAt: now + 60_000 });
    const ports = [Number(new URL(t.a.url).port), Number(new URL(t.b.url).port)];
    const request = { method: 'POST', path: '/api/me/email/confirm', headers: { Origin: t.a.config.origins[0]! }, json: { token } };
    expect(countStatuses(await burst((i) => ports[i % 2]!, Array.from({ length: 30 }, () => request)))).toEqual({ 200: 1, 400: 29 });
    expect(await t.stores[1]!.noticeAddresses.findConfirmed('u-two')).toMatchObject({ address: 'two@mail.test' });
  });
});
