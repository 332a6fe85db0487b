// Strangers cannot keep the owner out: a device cookie from an earlier full sign-in takes
// the owner's device out of the account-wide bucket (OWASP "device cookies"), but has its
// own budget; IPv6 is counted per /64; sign-ups and anonymous ceremony starts are limited
// per address (bursts: every connection opened first, all requests written in one tick).
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { asClient, burst, countStatuses } from '../helpers/burst.js';
import type { HttpClient } from '../helpers/httpClient.js';
import type { TestApp } from '../helpers/testApp.js';
import { codeAt, signUpWithTotp } from './totpSteps.js';

const portOf = (app: TestApp) => Number(new URL(app.url).port);

function from(app: TestApp, ip: string, cookiesOf?: HttpClient): HttpClient {
  const c = cookiesOf ? cookiesOf.clone() : app.client();
  c.headers['X-Forwarded-For'] = ip;
  return c;
}

/** The device cookie (and its signature) of `c`, in a fresh client at another address: the owner's browser elsewhere. */
function deviceOnly(app: TestApp, c: HttpClient, ip: string): HttpClient {
  const d = from(app, ip);
  for (const [k, v] of c.cookies) if (k.startsWith('keyward-device')) d.cookies.set(k, v);
  return d;
}

const wrongPassword = (c: HttpClient, username = 'alice') => c.post('/api/session', { username, password: 'not the password at all' });

describe.each(storageFactories)('owner not locked out by strangers ($name)', (factory) => {
  const t = useApp(factory, { TRUST_PROXY: 'true', RATE_LIMIT_ACCOUNT_MAX: '8', RATE_LIMIT_DEVICE_MAX: '3' });

  /** Strangers at 8 addresses fill the account-wide bucket; a 9th is refused. */
  async function strangersFillTheAccountBucket() {
    for (let i = 0; i < 8; i++) expect((await wrongPassword(from(t.app, `198.51.100.${i + 1}`))).status).toBe(401);
    expect((await wrongPassword(from(t.app, '198.51.100.99'))).status).toBe(429);
  }

  it('lets the owner in with the device cookie of an earlier full sign-in while strangers filled the account bucket', async () => {
    const { c, secret } = await signUpWithTotp(t.app);
    expect([...c.cookies.keys()]).toContain('keyward-device');
    await strangersFillTheAccountBucket();
    // Without the device cookie the owner is refused like anyone else...
    expect((await from(t.app, '203.0.113.10').post('/api/session', { username: 'alice', password: PASSWORD })).status).toBe(429);
    // ...with it, from yet another address, the owner signs in.
    const owner = deviceOnly(t.app, c, '203.0.113.20');
    expect((await owner.post('/api/session', { username: 'alice', password: PASSWORD })).body).toMatchObject({ status: 'mfa_required' });
    t.app.clock.advance(30_000);
    expect((await owner.post('/api/totp/verify', { code: await codeAt(secret, t.app.clock.now()) })).status).toBe(200);
  });

  it('gives a device cookie its own small budget, then backs it off', async () => {
    const { c } = await signUpWithTotp(t.app);
    // A stolen device cookie used from many addresses: 3 guesses, then refused.
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await wrongPassword(deviceOnly(t.app, c, `192.0.2.${i + 1}`))).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('does not exempt a device cookie issued for another account', async () => {
    const { c: bob } = await signUpWithTotp(t.app, 'bob');
    await signUpWithTotp(t.app, 'alice');
    await strangersFillTheAccountBucket();
    const res = await deviceOnly(t.app, bob, '203.0.113.30').post('/api/session', { username: 'alice', password: PASSWORD });
    expect(res.status).toBe(429);
  });

  it('ignores a device cookie whose signature does not match', async () => {
    const { c } = await signUpWithTotp(t.app);
    await strangersFillTheAccountBucket();
    const forged = deviceOnly(t.app, c, '203.0.113.40');
    const value = forged.cookies.get('keyward-device')!;
    forged.cookies.set('keyward-device', value.replace(/\.[^.]+$/, '.' + (36 ** 6).toString(36)));
    expect((await forged.post('/api/session', { username: 'alice', password: PASSWORD })).status).toBe(429);
  });

  it('counts the addresses of one IPv6 /64 as one address', async () => {
    await signUpWithTotp(t.app);
    for (let i = 0; i < 5; i++) expect((await wrongPassword(from(t.app, `2001:db8:1:2::${i + 1}`))).status).toBe(401);
    expect((await wrongPassword(from(t.app, '2001:db8:1:2:ffff:ffff:ffff:fffe'))).status).toBe(429);
    expect((await wrongPassword(from(t.app, '2001:db8:1:3::1'))).status).toBe(401);
  });
});

describe.each(storageFactories)('per-address limits on what stores rows without a guess ($name)', (factory) => {
  const t = useApp(factory, { TRUST_PROXY: 'true', RATE_LIMIT_SIGNUP_MAX: '5', RATE_LIMIT_CEREMONY_MAX: '5' });

  it('creates at most 5 of 50 sign-ups sent at once from one address', async () => {
    const c = from(t.app, '198.51.100.7');
    const requests = Array.from({ length: 50 }, (_, i) => asClient(c, 'POST', '/api/accounts', { username: `user${i}`, password: PASSWORD }));
    const counts = countStatuses(await burst(portOf(t.app), requests));
    expect((counts[201] ?? 0) + (counts[429] ?? 0)).toBe(50);
    expect(counts[201] ?? 0).toBeLessThanOrEqual(5);
    const created = await Promise.all(Array.from({ length: 50 }, (_, i) => t.storage.users.findByUsername(`user${i}`)));
    expect(created.filter(Boolean).length).toBe(counts[201] ?? 0);
    // Another address is not held off.
    expect((await from(t.app, '203.0.113.9').post('/api/accounts', { username: 'neighbour', password: PASSWORD })).status).toBe(201);
  });

  it('answers at most 5 of 50 anonymous WebAuthn sign-in starts sent at once from one address', async () => {
    const c = from(t.app, '198.51.100.8');
    const counts = countStatuses(await burst(portOf(t.app), Array.from({ length: 50 }, () => asClient(c, 'POST', '/api/webauthn/authentication/options', {}))));
    expect((counts[200] ?? 0) + (counts[429] ?? 0)).toBe(50);
    expect(counts[200] ?? 0).toBeLessThanOrEqual(5);
    // A ceremony for a pending user (after the password) is not an anonymous start.
    const { c: owner } = await signUpWithTotp(t.app);
    const pending = from(t.app, '198.51.100.8', owner);
    await pending.delete('/api/session');
    expect((await pending.post('/api/session', { username: 'alice', password: PASSWORD })).body).toMatchObject({ status: 'mfa_required' });
    expect((await pending.post('/api/webauthn/authentication/options', {})).status).toBe(200);
  });
});
