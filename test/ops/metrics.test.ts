// Prometheus metrics: not on the public port unless METRICS_PUBLIC=true; when scraped, the
// counters move with a sign-in (per route, per factor), with 429s and with database calls.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { PASSWORD } from '../helpers/appFixture.js';
import type { Storage } from '../../server/storage/port.js';
import { codeAt, nextStep, signUpWithTotp } from '../http/totpSteps.js';
import { sample } from './prometheusText.js';

describe('metrics', () => {
  let storage: Storage;
  let dispose: () => Promise<void>;
  const apps: TestApp[] = [];
  beforeEach(async () => {
    ({ storage, dispose } = await embeddedFactory.create());
  });
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close();
    await dispose();
  });

  it('are not served on the public port by default', async () => {
    const app = await startTestApp({ storage });
    apps.push(app);
    const res = await app.client().get('/metrics');
    expect(res.status).toBe(404);
    expect(String(res.body)).not.toContain('keyward_');
  });

  it('count a sign-in per route and per factor, rate-limit refusals and database calls', async () => {
    const app = await startTestApp({ storage, env: { METRICS_PUBLIC: 'true', RATE_LIMIT_ACCOUNT_IP_MAX: '2' } });
    apps.push(app);
    const scrape = async () => {
      const res = await app.client().get<string>('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      return res.body;
    };
    const { c, secret } = await signUpWithTotp(app, 'alice');
    await c.delete('/api/session');
    const before = await scrape();

    expect((await c.post('/api/session', { username: 'alice', password: PASSWORD })).body).toMatchObject({ status: 'mfa_required' });
    nextStep(app);
    expect((await c.post('/api/totp/verify', { code: await codeAt(secret, app.clock.now()) })).status).toBe(200);
    const after = await scrape();

    const moved = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(moved('keyward_http_requests_total', { method: 'POST', route: '/api/session', status: '200' })).toBe(1);
    expect(moved('keyward_http_requests_total', { method: 'POST', route: '/api/totp/verify', status: '200' })).toBe(1);
    expect(moved('keyward_http_request_duration_seconds_count', { method: 'POST', route: '/api/session' })).toBe(1);
    expect(moved('keyward_signin_attempts_total', { factor: 'password', outcome: 'success' })).toBe(1);
    expect(moved('keyward_signin_attempts_total', { factor: 'totp', outcome: 'success' })).toBe(1);
    expect(moved('keyward_db_operation_duration_seconds_count', { store: 'users', operation: 'findByUsername', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    // Route templates, never raw paths: ids do not become labels.
    expect(after).not.toMatch(/route="\/api\/totp\/authenticators\/[A-Za-z0-9_-]{10,}/);

    // Two wrong passwords fill the account+IP budget; the third is refused with 429.
    const other = app.client();
    for (let i = 0; i < 2; i++) expect((await other.post('/api/session', { username: 'alice', password: 'wrong password' })).status).toBe(401);
    expect((await other.post('/api/session', { username: 'alice', password: 'wrong password' })).status).toBe(429);
    const limited = await scrape();
    expect(sample(limited, 'keyward_rate_limited_total', { route: '/api/session' })).toBe(1);
    expect(sample(limited, 'keyward_lockouts_total')).toBe(1);
    expect(sample(limited, 'keyward_signin_attempts_total', { factor: 'password', outcome: 'failure' }) - sample(after, 'keyward_signin_attempts_total', { factor: 'password', outcome: 'failure' })).toBe(2);
  });
});
