// Two app instances on one MongoDB database, as behind a load balancer: a ceremony
// started on one finishes on the other, and a spent challenge is spent for both.
import { describe, expect, it } from 'vitest';
import { useTwoInstances } from '../helpers/twoInstances.js';
import { HttpClient } from '../helpers/httpClient.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { authOptions, passwordStep, signUpWithKey } from '../helpers/webauthnFlows.js';

describe('two instances on one MongoDB database', () => {
  const t = useTwoInstances('two');

  /** A client whose requests go to A or B as chosen, sharing one cookie jar. */
  function balanced() {
    const origin = t.a.config.origins[0]!;
    const toA = new HttpClient(t.a.url, origin);
    const toB = new HttpClient(t.b.url, origin);
    toB.cookies.clear();
    const sync = (from: HttpClient, to: HttpClient) => {
      to.cookies.clear();
      for (const [k, v] of from.cookies) to.cookies.set(k, v);
    };
    return { toA, toB, sync };
  }

  it('finishes on instance B a registration and a sign-in whose options came from instance A', async () => {
    const { toA, toB, sync } = balanced();
    const key = new SoftAuthenticator(toA.origin);
    await toA.post('/api/accounts', { username: 'alice', password: 'correct horse battery staple' });
    const regOptions = await toA.post('/api/webauthn/registration/options', {});
    sync(toA, toB);
    const reg = await toB.post('/api/webauthn/registration/verify', { response: key.register(regOptions.body as never) });
    expect(reg.status).toBe(201);

    await toB.delete('/api/session');
    sync(toB, toA);
    await passwordStep(toA, 'alice');
    const options = await authOptions(toA);
    sync(toA, toB);
    const res = await toB.post('/api/webauthn/authentication/verify', { response: key.assert(options) });
    expect(res.status).toBe(200);
    sync(toB, toA);
    expect((await toA.get('/api/session')).body).toMatchObject({ status: 'authenticated', aal: 2 });
  });

  it('spends a challenge for both instances: a replay on the other one fails', async () => {
    const { toA, toB, sync } = balanced();
    const key = new SoftAuthenticator(toA.origin);
    await signUpWithKey(toA, 'bob', key);
    await toA.delete('/api/session');
    await passwordStep(toA, 'bob');
    const response = key.assert(await authOptions(toA));
    sync(toA, toB);
    const results = await Promise.all([toA.clone().post('/api/webauthn/authentication/verify', { response }), toB.clone().post('/api/webauthn/authentication/verify', { response })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('shares the brute-force counters: failures on A hold off B', async () => {
    const { toA, toB } = balanced();
    await toA.post('/api/accounts', { username: 'carol', password: 'correct horse battery staple' });
    const wrong = (c: HttpClient) => c.post('/api/session', { username: 'carol', password: 'wrong password here' });
    for (const c of [toA, toB, toA, toB, toA]) expect((await wrong(c)).status).toBe(401);
    expect((await wrong(toB)).status).toBe(429);
    expect((await toB.post('/api/session', { username: 'carol', password: 'correct horse battery staple' })).status).toBe(429);
  });
});
