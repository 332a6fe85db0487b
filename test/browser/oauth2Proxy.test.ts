// A real third-party OpenID Connect client: oauth2-proxy (--provider=oidc, configured as the
// README says) in front of a tiny app, Keyward as the issuer, Chromium with a virtual
// security key. Anonymous visit -> Keyward sign-in -> key tap -> the app, which sees the
// person in X-Forwarded-User (their id) / X-Forwarded-Preferred-Username (their name); signed out of Keyward, the
// next visit (after the proxy's own sign-out) signs in again.
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CLIENT_DIR, launchBrowser } from '../helpers/browser.js';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { freePort } from '../helpers/freePort.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { addVirtualKey } from '../helpers/virtualAuthenticator.js';
import { startDocumentedOauth2Proxy, type startOauth2Proxy } from '../helpers/oauth2Proxy.js';

describe('oauth2-proxy in front of an app, signing in with Keyward', () => {
  let keyward: TestApp;
  let dispose: () => Promise<void>;
  let app: Server;
  let proxy: Awaited<ReturnType<typeof startOauth2Proxy>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let front: string;

  beforeAll(async () => {
    const proxyPort = await freePort();
    front = `http://localhost:${proxyPort}`;
    const secret = randomBytes(24).toString('base64url');
    const clients = join(mkdtempSync(join(tmpdir(), 'keyward-o2p-')), 'clients.yaml');
    writeFileSync(clients, `- client_id: oauth2-proxy\n  client_secret: ${secret}\n  redirect_uris: [${front}/oauth2/callback]\n  client_name: Reports\n  firstParty: true\n`);
    const created = await embeddedFactory.create();
    dispose = created.dispose;
    keyward = await startTestApp({ storage: created.storage, clientDir: CLIENT_DIR, env: { OIDC_CLIENTS_FILE: clients, AUTHZ_RETURN_DOMAINS: 'localhost' } });
    const appPort = await freePort();
    app = createServer((req, res) =>
      res
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end(`<h1>Reports</h1><p id="user">${String(req.headers['x-forwarded-user'])}</p><p id="preferred">${String(req.headers['x-forwarded-preferred-username'])}</p>`),
    );
    await new Promise<void>((r) => app.listen(appPort, '127.0.0.1', r));
    proxy = await startDocumentedOauth2Proxy({ port: proxyPort, front, keywardOrigin: keyward.origin, appPort, clientSecret: secret });
    browser = await launchBrowser();
    context = await browser.newContext();
    page = await context.newPage();
    await addVirtualKey(context, page);
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.stop();
    await new Promise<void>((r) => app?.close(() => r()));
    await keyward?.close();
    await dispose?.();
  });

  const heading = () => page.getByRole('heading', { level: 1 }).textContent();

  it('signs an anonymous visitor in at Keyward with a key tap and lets them into the app under their name', async () => {
    // An account with a key, then signed out: the visitor arrives anonymous.
    await page.goto(`${keyward.origin}/signup`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: 'Add a security key' }).click();
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.goto(`${keyward.origin}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');

    await page.goto(`${front}/reports`);
    await page.waitForURL(`${keyward.origin}/signin?**`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Use security key' }).click();
    await page.waitForURL(`${front}/**`, { timeout: 15_000 });
    expect(await heading()).toBe('Reports');
    // X-Forwarded-User is the sub claim (Keyward's user id); the username comes as preferred_username.
    const session = (await (await page.request.get(`${keyward.origin}/api/session`)).json()) as { user: { id: string } };
    expect(await page.locator('#user').textContent()).toBe(session.user.id);
    expect(await page.locator('#preferred').textContent()).toBe('alice');
  });

  it('signs in again after signing out of Keyward (and of the proxy\'s own cookie)', async () => {
    await page.goto(`${keyward.origin}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
    await page.goto(`${front}/oauth2/sign_out?rd=${encodeURIComponent(`${front}/reports`)}`);
    await page.waitForURL(`${keyward.origin}/signin?**`);
    expect(new URL(page.url()).searchParams.get('rd')).toMatch(new RegExp(`^${keyward.origin}/oidc/interaction/`));
  });
});
