// Forward-auth sends a person to the sign-in page with ?rd=; after signing in they land
// back on the page they wanted, and an address off the allow-list is ignored.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { CLIENT_DIR, launchBrowser } from '../helpers/browser.js';
import { freePort } from '../helpers/freePort.js';
import { PASSWORD } from '../helpers/appFixture.js';

describe('returning to the protected app after sign-in', () => {
  let browser: Browser;
  let app: TestApp;
  let dispose: () => Promise<void>;
  let protectedApp: Server;
  let protectedUrl: string;

  beforeAll(async () => {
    const created = await embeddedFactory.create();
    dispose = created.dispose;
    app = await startTestApp({ storage: created.storage, clientDir: CLIENT_DIR, env: { AUTHZ_RETURN_DOMAINS: 'localhost', MFA_REQUIRED: 'false' } });
    const port = await freePort();
    protectedApp = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<h1>Protected page</h1>'));
    await new Promise<void>((r) => protectedApp.listen(port, '127.0.0.1', r));
    protectedUrl = `http://localhost:${port}/reports`;
    await app.client().post('/api/accounts', { username: 'alice', password: PASSWORD });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await new Promise<void>((r) => protectedApp?.close(() => r()));
    await dispose?.();
  });

  async function signInFrom(url: string) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    return { page, context };
  }

  it('goes back to the address forward-auth asked for', async () => {
    const { page, context } = await signInFrom(`${app.origin}/signin?rd=${encodeURIComponent(protectedUrl)}`);
    await page.waitForURL(protectedUrl);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Protected page');
    await context.close();
  });

  it('stays on Keyward when the address is not on the allow-list', async () => {
    const { page, context } = await signInFrom(`${app.origin}/signin?rd=${encodeURIComponent('https://evil.example/')}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Hello, alice');
    expect(page.url()).toBe(`${app.origin}/`);
    await context.close();
  });
});
