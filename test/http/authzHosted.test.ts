// Keyward hosted in-process by another Koa app (createKeyward): its API works there, its
// requireUser() protects the host's routes like /api/authz does, and it leaves the host's
// own paths, errors and headers alone.
import { createServer, type Server } from 'node:http';
import Koa from 'koa';
import Router from '@koa/router';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { cryptoRandom } from '../../server/clock.js';
import { createKeyward } from '../../server/protect/createKeyward.js';
import type { Storage } from '../../server/storage/port.js';
import { storageFactories } from '../helpers/storageFactories.js';
import { TEST_SECRETS } from '../helpers/testApp.js';
import { createTestClock } from '../helpers/testClock.js';
import { freePort } from '../helpers/freePort.js';
import { HttpClient } from '../helpers/httpClient.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';

describe.each(storageFactories)('Keyward hosted in another Koa app ($name)', (factory) => {
  let storage: Storage;
  let dispose: () => Promise<void>;
  let server: Server;
  let url: string;
  let origin: string;

  beforeEach(async () => {
    ({ storage, dispose } = await factory.create());
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    origin = `http://localhost:${port}`;
    const config = loadConfig({ NODE_ENV: 'test', PORT: String(port), ORIGINS: origin, AUTHZ_RETURN_DOMAINS: 'localhost,127.0.0.1', ...TEST_SECRETS });
    const app = new Koa();
    // The deliberate failure below would otherwise print a stack trace.
    app.silent = true;
    const keyward = createKeyward({ app, config, storage, clock: createTestClock(), random: cryptoRandom, logger: pino({ level: 'silent' }) });
    app.use(keyward.routes());
    const router = new Router();
    router.get('/open', (ctx) => (ctx.body = 'open to all'));
    router.get('/strong', keyward.requireUser(), (ctx) => (ctx.body = { user: ctx.state.keywardUser }));
    router.get('/weak', keyward.requireUser({ aal: 1 }), (ctx) => (ctx.body = { aal: ctx.state.keywardUser!.aal }));
    router.get('/broken', () => {
      throw new Error('the host app failed');
    });
    app.use(router.routes());
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await dispose();
  });

  const client = () => new HttpClient(url, origin);

  it('refuses an anonymous visitor 401 with a sign-in URL that returns to the page', async () => {
    const res = await client().get('/strong?tab=2');
    expect(res.status).toBe(401);
    const signInUrl = new URL((res.body as { signInUrl: string }).signInUrl);
    expect(signInUrl.origin + signInUrl.pathname).toBe(`${origin}/signin`);
    expect(signInUrl.searchParams.get('rd')).toBe(`${url}/strong?tab=2`);
    expect(res.body).toMatchObject({ error: 'unauthenticated' });
  });

  it('refuses 403 below the required level, and lets the person through at it', async () => {
    const c = client();
    await c.post('/api/accounts', { username: 'kate', password: PASSWORD });
    expect((await c.get('/strong')).body).toMatchObject({ error: 'mfa_required' });
    expect((await c.get('/weak')).status).toBe(403);

    const d = client();
    await signUpWithKey(d, 'liam');
    const res = await d.get<{ user: Record<string, unknown> }>('/strong');
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'liam', displayName: 'liam', aal: 2, amr: ['pwd', 'hwk'] });
    expect((await d.get('/weak')).body).toEqual({ aal: 2 });
  });

  it('serves its API and JWKS with its own answers, and leaves the host\'s paths alone', async () => {
    const api = await client().get('/api/nothing-here');
    expect(api.body).toMatchObject({ error: 'not_found' });
    expect(api.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect((await client().get('/.well-known/jwks.json')).status).toBe(200);

    const open = await client().get('/open');
    expect(open.body).toBe('open to all');
    expect(open.headers.get('content-security-policy')).toBeNull();
    const missing = await client().get('/no-such-page');
    expect(missing.status).toBe(404);
    expect(missing.body).toBe('Not Found');
    // The host's failures stay the host's: Keyward's error handler does not wrap them.
    const broken = await client().get('/broken');
    expect(broken.status).toBe(500);
    expect(broken.body).toBe('Internal Server Error');
  });
});
