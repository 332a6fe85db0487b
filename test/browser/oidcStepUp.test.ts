// Step-up for single sign-on in Chromium: a person signed in with a password alone (aal 1)
// who has an authenticator app, sent by a client asking acr_values=aal2, is asked for the
// app's code on Keyward's verify page (no password again), then goes on to the client.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowserApp } from '../helpers/browser.js';
import { freePort } from '../helpers/freePort.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { codeAt, enrollTotp } from '../http/totpSteps.js';

const rpPort = await freePort();
const callback = `http://localhost:${rpPort}/cb`;
const clientsFile = join(mkdtempSync(join(tmpdir(), 'keyward-stepup-')), 'clients.yaml');
writeFileSync(clientsFile, `- client_id: app\n  client_secret: app-secret-0123456789ab\n  redirect_uris: [${callback}]\n  firstParty: true\n`);

describe('single sign-on asking for aal2 of a session at aal1', () => {
  const t = useBrowserApp({ OIDC_CLIENTS_FILE: clientsFile, AUTHZ_RETURN_DOMAINS: 'localhost', MFA_REQUIRED: 'false' });
  let rp: Server;

  beforeAll(async () => {
    rp = createServer((req, res) => {
      const q = new URL(req.url ?? '/', callback).searchParams;
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<h1>App callback</h1><p id="code">${q.get('code') ? 'a code' : q.get('error') ?? ''}</p>`);
    });
    await new Promise<void>((r) => rp.listen(rpPort, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise<void>((r) => rp?.close(() => r()));
  });

  it('asks for the second factor on the verify page, not for a new sign-in, and goes on to the client', async () => {
    const other = t.app.client();
    expect((await other.post('/api/accounts', { username: 'kim', password: PASSWORD })).status).toBe(201);
    const context = await t.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.app.origin}/signin`);
    await page.getByLabel('Username').fill('kim');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Hello, kim');
    // An authenticator app added on another device: the browser's session stays at aal 1.
    const { secret } = await enrollTotp(t.app, other);
    t.app.clock.advance(30_000);

    const visited: string[] = [];
    page.on('framenavigated', (f) => visited.push(new URL(f.url()).pathname));
    const query = new URLSearchParams({ client_id: 'app', response_type: 'code', scope: 'openid', redirect_uri: callback, state: 's', acr_values: 'aal2' });
    await page.goto(`${t.app.origin}/oidc/auth?${query}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirm it is you');
    expect(new URL(page.url()).pathname).toBe('/verify');
    expect(await page.locator('main p').first().textContent()).toContain('This application asks for your second factor');
    await page.getByLabel('Authenticator code').fill(await codeAt(secret, t.app.clock.now()));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((u) => u.href.startsWith(callback));
    expect(await page.locator('#code').textContent()).toBe('a code');
    expect(visited).not.toContain('/signin');

    // prompt=login from the application: the verify page asks again, inside the same session.
    t.app.clock.advance(30_000);
    visited.length = 0;
    await page.goto(`${t.app.origin}/oidc/auth?${new URLSearchParams({ client_id: 'app', response_type: 'code', scope: 'openid', redirect_uri: callback, state: 's', prompt: 'login' })}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirm it is you');
    expect(new URL(page.url()).searchParams.get('again')).toBe('1');
    await page.getByLabel('Authenticator code').fill(await codeAt(secret, t.app.clock.now()));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((u) => u.href.startsWith(callback));
    expect(await page.locator('#code').textContent()).toBe('a code');
    expect(visited).not.toContain('/signin');
    await context.close();
  });
});
