// Brute-force limits: per account+IP (tight), per account, per IP; growing back-off;
// shared by every instance; the same answers for known and unknown accounts.
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import type { HttpClient, HttpResponse } from '../helpers/httpClient.js';
import type { TestApp } from '../helpers/testApp.js';
import { codeAt, signUpWithTotp } from './totpSteps.js';

const ATTACKER = '198.51.100.66';
const OWNER = '203.0.113.10';

function from(app: TestApp, ip: string): HttpClient {
  const c = app.client();
  c.headers['X-Forwarded-For'] = ip;
  return c;
}

async function wrongPassword(c: HttpClient, username: string): Promise<HttpResponse> {
  return c.post('/api/session', { username, password: 'not the password at all' });
}

describe.each(storageFactories)('brute-force limits ($name)', (factory) => {
  const t = useApp(factory, { TRUST_PROXY: 'true' });

  it('answers 429 with Retry-After after 5 bad TOTP codes, and backs off longer each time', async () => {
    const { secret } = await signUpWithTotp(t.app, 'alice');
    const attacker = from(t.app, ATTACKER);
    expect((await attacker.post('/api/session', { username: 'alice', password: PASSWORD })).body).toMatchObject({ status: 'mfa_required' });
    const bad = async () => attacker.post('/api/totp/verify', { code: (Number(await codeAt(secret, t.app.clock.now())) ^ 1).toString().padStart(6, '0') });
    for (let i = 0; i < 5; i++) expect((await bad()).status).toBe(401);
    const limited = await bad();
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: 'too_many_attempts' });
    expect(limited.headers.get('retry-after')).toBe('60');

    t.app.clock.advance(61_000);
    // The pending step lapses after 5 minutes; start it again as the attacker would.
    expect((await bad()).status).toBe(401); // the back-off ended: one more guess...
    const longer = await bad();
    expect(longer.status).toBe(429); // ...and a longer back-off
    expect(longer.headers.get('retry-after')).toBe('120');
  });

  it('lets the owner sign in from another address while the attacker is held off', async () => {
    const { secret } = await signUpWithTotp(t.app, 'alice');
    const attacker = from(t.app, ATTACKER);
    for (let i = 0; i < 5; i++) expect((await wrongPassword(attacker, 'alice')).status).toBe(401);
    expect((await wrongPassword(attacker, 'alice')).status).toBe(429);
    expect((await attacker.post('/api/session', { username: 'alice', password: PASSWORD })).status).toBe(429);

    const owner = from(t.app, OWNER);
    expect((await owner.post('/api/session', { username: 'alice', password: PASSWORD })).body).toMatchObject({ status: 'mfa_required' });
    t.app.clock.advance(30_000);
    expect((await owner.post('/api/totp/verify', { code: await codeAt(secret, t.app.clock.now()) })).status).toBe(200);
  });

  it('resets the account+IP budget after a success', async () => {
    const owner = from(t.app, OWNER);
    await owner.post('/api/accounts', { username: 'bob', password: PASSWORD });
    await owner.delete('/api/session');
    for (let i = 0; i < 4; i++) expect((await wrongPassword(owner, 'bob')).status).toBe(401);
    expect((await owner.post('/api/session', { username: 'bob', password: PASSWORD })).status).toBe(200);
    await owner.delete('/api/session');
    for (let i = 0; i < 4; i++) expect((await wrongPassword(owner, 'bob')).status).toBe(401);
    expect((await owner.post('/api/session', { username: 'bob', password: PASSWORD })).status).toBe(200);
  });

  it('gives known and unknown usernames the same answers and the same counting', async () => {
    await from(t.app, OWNER).post('/api/accounts', { username: 'carol', password: PASSWORD });
    const run = async (username: string) => {
      const c = from(t.app, ATTACKER);
      const out: unknown[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await wrongPassword(c, username);
        out.push([r.status, r.body, r.headers.get('retry-after'), r.setCookies.length]);
      }
      return out;
    };
    expect(await run('nobody-at-all')).toEqual(await run('carol'));
  });

  it('audits a lockout against the account it protects', async () => {
    await from(t.app, OWNER).post('/api/accounts', { username: 'dave', password: PASSWORD });
    const attacker = from(t.app, ATTACKER);
    for (let i = 0; i < 5; i++) await wrongPassword(attacker, 'dave');
    const user = await t.storage.users.findByUsername('dave');
    const events = await t.storage.audit.listForUser(user!.id, { limit: 10 });
    expect(events.find((e) => e.type === 'lockout')).toMatchObject({ outcome: 'info', ip: ATTACKER, details: { bucket: 'account-ip' } });
    expect(events.filter((e) => e.type === 'signin.password' && e.outcome === 'failure')).toHaveLength(5);
  });

  it('names the user agent and the request id of the guess that started a lockout', async () => {
    await from(t.app, OWNER).post('/api/accounts', { username: 'frank', password: PASSWORD });
    const attacker = from(t.app, ATTACKER);
    for (let i = 0; i < 4; i++) await wrongPassword(attacker, 'frank');
    const fifth = await attacker.post(
      '/api/session',
      { username: 'frank', password: 'not the password at all' },
      { headers: { 'User-Agent': 'GuessBot/1.0 (lockout test)', 'X-Request-Id': 'lockout-req-0005' } },
    );
    expect(fifth.status).toBe(401);
    expect(fifth.headers.get('x-request-id')).toBe('lockout-req-0005');
    const user = await t.storage.users.findByUsername('frank');
    const lockouts = (await t.storage.audit.listForUser(user!.id, { limit: 20 })).filter((e) => e.type === 'lockout');
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({ ip: ATTACKER, userAgent: 'GuessBot/1.0 (lockout test)', requestId: 'lockout-req-0005' });
  });
});

describe.each(storageFactories)('per-account and per-IP budgets ($name)', (factory) => {
  const t = useApp(factory, { TRUST_PROXY: 'true', RATE_LIMIT_ACCOUNT_MAX: '8', RATE_LIMIT_IP_MAX: '12' });

  it('holds off an account guessed at from many addresses', async () => {
    await from(t.app, OWNER).post('/api/accounts', { username: 'erin', password: PASSWORD });
    for (let i = 0; i < 8; i++) expect((await wrongPassword(from(t.app, `198.51.100.${i + 1}`), 'erin')).status).toBe(401);
    expect((await wrongPassword(from(t.app, '198.51.100.200'), 'erin')).status).toBe(429);
  });

  it('holds off one address guessing at many accounts', async () => {
    const attacker = from(t.app, ATTACKER);
    for (let i = 0; i < 12; i++) expect((await wrongPassword(attacker, `user${i}`)).status).toBe(401);
    expect((await wrongPassword(attacker, 'someone-new')).status).toBe(429);
    expect((await wrongPassword(from(t.app, OWNER), 'someone-new')).status).toBe(401);
  });
});
