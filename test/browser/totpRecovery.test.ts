// A person sets up an authenticator app through the real client, with codes from oathtool
// (not Keyward's own TOTP code), then signs in with a code and with a recovery code.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from '../helpers/browser.js';

const PASSWORD = 'correct horse battery staple';

describe('authenticator app and recovery codes in the browser', () => {
  const t = useBrowserApp();


  /** What an authenticator app would show now, by the server's (test) clock. */
  function oathtool(secret: string): string {
    return execFileSync('oathtool', ['--totp', '-b', secret, '-N', `@${Math.floor(t.app.clock.now() / 1000)}`], { encoding: 'utf8' }).trim();
  }

  const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

  async function signOutAndIn(page: Page) {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
    await page.getByLabel('Username').fill('carol');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => heading(page)).toBe('Confirm it is you');
  }

  it('sets up an app, shows recovery codes once, and signs in with a code and with a recovery code', async () => {
    const context = await t.browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(m.text()));

    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel('Username').fill('carol');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => heading(page)).toBe('Security settings');

    // Set-up: the QR code is shown, and the key is read off the page the way a person types it.
    await page.getByLabel('Name for the new app (optional)').fill('Phone');
    await page.getByRole('button', { name: 'Add an authenticator app' }).click();
    await expect(page.getByRole('img', { name: /QR code/ }).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).resolves.toBe(true);
    const shownKey = (await page.locator('.totp-secret').textContent()) ?? '';
    expect(shownKey).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    const secret = shownKey.replace(/\s/g, '');
    await page.getByLabel('Code shown by the app').fill(oathtool(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();

    // Recovery codes, shown once, downloadable.
    await expect.poll(() => heading(page)).toBe('Save your recovery codes');
    const codes = await page.locator('.recovery-codes li').allTextContents();
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download (.txt)' }).click()]);
    // The file says which site and which account the codes are for.
    expect(download.suggestedFilename()).toBe('keyward-recovery-codes-carol.txt');
    expect(readFileSync((await download.path())!, 'utf8')).toContain('Recovery codes for carol at Keyward');
    expect(readFileSync((await download.path())!, 'utf8')).toContain(codes[0]);
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await expect.poll(() => heading(page)).toBe('Security settings');
    await expect.poll(() => page.locator('[data-section=authenticators] li').textContent()).toContain('Phone');
    await expect.poll(() => page.locator('[data-remaining]').getAttribute('data-remaining')).toBe('10');
    await page.getByRole('link', { name: 'Back to your account' }).click();

    // Sign in with a code. The confirming code's time step is spent, so use the next one.
    await signOutAndIn(page);
    t.app.clock.advance(30_000);
    const codeField = page.getByLabel('Authenticator code');
    await expect(codeField.getAttribute('inputmode')).resolves.toBe('numeric');
    await expect(codeField.getAttribute('autocomplete')).resolves.toBe('one-time-code');
    await codeField.fill(oathtool(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => heading(page)).toBe('Hello, carol');
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('authenticated');

    // Sign in with a recovery code, typed in capitals.
    await signOutAndIn(page);
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(codes[6]!.toUpperCase());
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => heading(page)).toBe('Hello, carol');
    await page.getByRole('link', { name: 'Security settings' }).click();
    await expect.poll(() => page.locator('[data-remaining]').getAttribute('data-remaining')).toBe('9');

    // New codes need a fresh step-up: once it has lapsed, the verify panel asks for a code first.
    t.app.clock.advance(301_000);
    await page.getByRole('button', { name: 'Generate new codes' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Generate new codes' }).click();
    await page.getByLabel('Authenticator code').fill(oathtool(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => heading(page)).toBe('Save your recovery codes');
    const fresh = await page.locator('.recovery-codes li').allTextContents();
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((c) => codes.includes(c))).toEqual([]);

    expect(problems, 'no script errors or CSP violations').toEqual([]);
    await context.close();
  });
});
