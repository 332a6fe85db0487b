// Where you're signed in, in the real client: two sessions listed (this device marked, the
// other described from its user agent), the other signed out, and the password changed,
// which signs out a session opened meanwhile.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from '../helpers/browser.js';
import { HttpClient } from '../helpers/httpClient.js';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a different horse entirely';
const FIREFOX_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

describe('sessions and password in the browser', () => {
  const t = useBrowserApp();

  const oathtool = (secret: string) =>
    execFileSync('oathtool', ['--totp', '-b', secret, '-N', `@${Math.floor(t.app.clock.now() / 1000)}`], { encoding: 'utf8' }).trim();
  const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

  /** Another device signing in with the password and the next authenticator code. */
  async function otherDevice(secret: string, password = PASSWORD) {
    const c = new HttpClient(t.app.url, t.app.origin);
    c.headers['User-Agent'] = FIREFOX_ON_WINDOWS;
    expect((await c.post('/api/session', { username: 'dana', password })).body).toMatchObject({ status: 'mfa_required' });
    t.app.clock.advance(30_000);
    expect((await c.post('/api/totp/verify', { code: oathtool(secret) })).status).toBe(200);
    return c;
  }

  it('lists two sessions, signs the other out, and changes the password', async () => {
    const context = await t.browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel('Username').fill('dana');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => heading(page)).toBe('Security settings');
    await page.getByRole('button', { name: 'Add an authenticator app' }).click();
    // Setting one up: "none yet" is no longer said.
    await expect.poll(() => page.getByText('No authenticator apps yet').isVisible()).toBe(false);
    const secret = ((await page.locator('.totp-secret').textContent()) ?? '').replace(/\s/g, '');
    // On the phone that holds the app, a link opens it; the key has a line of its own, Copy under it.
    expect(await page.getByRole('link', { name: 'Open in an authenticator app on this device' }).getAttribute('href')).toMatch(/^otpauth:\/\/totp\/.+secret=/);
    const keyBox = (await page.locator('.totp-secret').boundingBox())!;
    expect((await page.getByRole('button', { name: 'Copy key' }).boundingBox())!.y).toBeGreaterThanOrEqual(keyBox.y + keyBox.height);
    await page.getByLabel('Code shown by the app').fill(oathtool(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await expect.poll(() => heading(page)).toBe('Security settings');

    const laptop = await otherDevice(secret);
    await page.reload();
    // Every section's heading has its icon, not only the factors' three.
    await page.locator('[data-section=sessions] h2').waitFor();
    expect(await page.locator('section.settings-block h2').count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator('section.settings-block h2:not(:has(svg.icon))').allTextContents()).toEqual([]);
    // The same room under "Add a security key" as under "Add an authenticator app".
    const roomUnder = async (section: string, button: string) => {
      const b = (await page.locator(`[data-section=${section}]`).getByRole('button', { name: button }).boundingBox())!;
      const s = (await page.locator(`[data-section=${section}]`).boundingBox())!;
      return s.y + s.height - (b.y + b.height);
    };
    expect(Math.abs((await roomUnder('keys', 'Add a security key')) - (await roomUnder('authenticators', 'Add an authenticator app')))).toBeLessThan(8);
    const rows = page.locator('[data-section=sessions] li');
    await expect.poll(() => rows.count()).toBe(2);
    await expect.poll(() => page.locator('[data-section=sessions] li[data-current]').textContent()).toContain('This device');
    // This device first, although the other one was seen last; its "Sign out" on a line of its own.
    expect(await rows.first().getAttribute('data-current')).toBe('true');
    const lastSeenLine = (await page.locator('[data-section=sessions] li:not([data-current]) .hint').boundingBox())!;
    const signOutButton = (await page.locator('[data-section=sessions] li:not([data-current])').getByRole('button', { name: 'Sign out' }).boundingBox())!;
    expect(signOutButton.y).toBeGreaterThanOrEqual(lastSeenLine.y + lastSeenLine.height);
    const other = page.locator('[data-section=sessions] li:not([data-current])');
    await expect.poll(() => other.textContent()).toContain('Firefox on Windows');
    await expect.poll(() => other.textContent()).toContain('127.0.0.1');

    await other.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect((await laptop.get('/api/authz')).status).toBe(401);
    await expect.poll(() => page.locator('[data-section=sessions]').textContent()).toContain('You are not signed in anywhere else.');

    // A session opened meanwhile ends when the password changes.
    const phone = await otherDevice(secret);
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByText('Password changed.').isVisible()).toBe(true);
    expect((await phone.get('/api/authz')).status).toBe(401);
    expect((await page.request.get(`${t.app.origin}/api/authz`)).status()).toBe(200);
    await otherDevice(secret, NEW_PASSWORD);
    expect(problems).toEqual([]);
    await context.close();
  });
});
