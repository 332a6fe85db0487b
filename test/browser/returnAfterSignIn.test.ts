// Forward-auth sends a person to the sign-in page with ?rd=; after signing in they land
// back on the page they wanted, and an address off the allow-list is ignored.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowserApp } from '../helpers/browser.js';
import { freePort } from '../helpers/freePort.js';
import { PASSWORD } from '../helpers/appFixture.js';

describe('returning to the protected app after sign-in', () => {
  const t = useBrowserApp({ AUTHZ_RETURN_DOMAINS: 'localhost', MFA_REQUIRED: 'false' });
  let protectedApp: Server;
  let protectedUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    protectedApp = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<h1>Protected page</h1>'));
    await new Promise<void>((r) => protectedApp.listen(port, '127.0.0.1', r));
    protectedUrl = `http://localhost:${port}/reports`;
    await t.app.client().post('/api/accounts', { username: 'alice', password: PASSWORD });
  });
  afterAll(async () => {
    await new Promise<void>((r) => protectedApp?.close(() => r()));
  });

  async function signInFrom(url: string) {
    const context = await t.browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    return { page, context };
  }

  it('goes back to the address forward-auth asked for', async () => {
    const { page, context } = await signInFrom(`${t.app.origin}/signin?rd=${encodeURIComponent(protectedUrl)}`);
    await page.waitForURL(protectedUrl);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Protected page');
    await context.close();
  });

  it('stays on Keyward when the address is not on the allow-list', async () => {
    const { page, context } = await signInFrom(`${t.app.origin}/signin?rd=${encodeURIComponent('https://evil.example/')}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Hello, alice');
    expect(page.url()).toBe(`${t.app.origin}/`);
    await context.close();
  });
});
