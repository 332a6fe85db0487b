// A person creates an account, signs out and signs in again through the real built client.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from '../helpers/browser.js';

describe('sign-up and sign-in in the browser', () => {
  const t = useBrowserApp();


  async function status(page: Page) {
    return page.locator('[data-status]').getAttribute('data-status');
  }

  it('creates an account, signs out, signs in, and refuses a wrong password with a visible message', async () => {
    const context = await t.browser.newContext();
    const page = await context.newPage();
    // Script errors and CSP violations; failed requests (the 401 below) are expected.
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(m.text()));

    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Your name (optional)').fill('Alice Liddell');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Create account' }).click();
    // A new account is sent to set up its second factor first.
    await expect.poll(() => status(page)).toBe('enroll_required');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Security settings');
    await page.getByRole('link', { name: 'Back to your account' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Hello, Alice Liddell');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');

    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('do not match');

    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => status(page)).toBe('enroll_required');

    // A reload keeps the session (it lives on the server, keyed by the cookie).
    await page.reload();
    await expect.poll(() => status(page)).toBe('enroll_required');
    expect(problems, 'no script errors or CSP violations').toEqual([]);
    await context.close();
  });
});
