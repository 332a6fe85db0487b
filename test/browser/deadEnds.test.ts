// No dead ends: a lapsed second step, a session ended elsewhere, an unknown address, a
// second visit to the sign-in page; and the in-page dialogs and inline rename.
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { useBrowserApp } from '../helpers/browser.js';
import { addVirtualKey } from '../helpers/virtualAuthenticator.js';

describe('dead ends in the browser', () => {
  const t = useBrowserApp();
  let context: BrowserContext;
  let page: Page;
  const heading = () => page.getByRole('heading', { level: 1 }).textContent();

  beforeAll(async () => {
    context = await t.browser.newContext({ locale: 'en-GB' });
    page = await context.newPage();
    await addVirtualKey(context, page);
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel('Username').fill('dana');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByLabel('Name for the new key (optional)').fill('Only key');
    await page.getByRole('button', { name: 'Add a security key' }).click();
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.locator('.key-name', { hasText: 'Only key' }).waitFor();
  });

  async function signOutAndEnterPassword() {
    await page.goto(`${t.app.origin}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
    await enterPassword();
  }

  async function enterPassword() {
    await page.getByLabel('Username').fill('dana');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL('**/verify');
  }

  it('says a lapsed second step timed out, offers to start again, and says so again on reopening', async () => {
    await signOutAndEnterPassword();
    t.app.clock.advance(301_000);
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill('7h2kq-m9xcd');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(heading).toBe('Your sign-in timed out');
    await page.reload();
    await expect.poll(heading).toBe('Your sign-in timed out');
    expect(await page.title()).toBe('Your sign-in timed out · Keyward');
    await page.getByRole('button', { name: 'Start again' }).click();
    await expect.poll(heading).toBe('Sign in');
  });

  it('confirms a sign-out, and sends a signed-in visitor of the sign-in page to the settings', async () => {
    await enterPassword();
    await page.getByRole('button', { name: 'Use security key' }).click();
    await expect.poll(heading).toBe('Hello, dana');
    expect(await page.locator('dl.facts').textContent()).toContain('security key and recovery codes');
    expect(await page.locator('dl.facts').textContent()).not.toMatch(/AAL|webauthn/);
    await page.goto(`${t.app.origin}/signin`);
    await expect.poll(heading).toBe('Security settings');

    await page.goto(`${t.app.origin}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.locator('[data-signed-out]').textContent()).toBe('You are signed out.');
  });

  it('says "You were signed out" with a way back when the session ended in another tab', async () => {
    await page.getByLabel('Username').fill('dana');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Use security key' }).click();
    await expect.poll(heading).toBe('Hello, dana');
    await page.getByRole('link', { name: 'Security settings' }).click();
    await expect.poll(heading).toBe('Security settings');
    const otherTab = await context.newPage();
    await otherTab.goto(`${t.app.origin}/`);
    await otherTab.getByRole('button', { name: 'Sign out' }).click();
    await otherTab.close();

    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('New name for Only key').press('Enter');
    await expect.poll(heading).toBe('You were signed out');
    await page.getByRole('link', { name: 'Sign in' }).click();
    await expect.poll(heading).toBe('Sign in');
  });

  it('renames inline with Enter, cancels with Escape, explains an empty name, and refuses to remove the only key before asking for it', async () => {
    await page.getByLabel('Username').fill('dana');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Use security key' }).click();
    await expect.poll(heading).toBe('Hello, dana');
    await page.goto(`${t.app.origin}/settings`);

    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('New name for Only key').fill('   ');
    await page.getByLabel('New name for Only key').press('Enter');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBe('Enter a name of 1 to 64 characters.');
    await page.getByLabel('New name for Only key').press('Escape');
    await expect.poll(() => page.getByRole('button', { name: 'Rename' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('New name for Only key').fill('Blue key');
    await page.getByLabel('New name for Only key').press('Enter');
    await expect.poll(() => page.locator('.key-name').allTextContents()).toEqual(['Blue key']);

    t.app.clock.advance(301_000); // a step-up would be due, but the refusal comes first
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('This is your only way to confirm your sign-in');
    expect(await page.locator('.step-up').count()).toBe(0);
  });

  it('shows a page of its own for an unknown address, with its own title', async () => {
    await page.goto(`${t.app.origin}/no-such-page`);
    await expect.poll(heading).toBe('Page not found');
    expect(await page.title()).toBe('Page not found · Keyward');
  });
});
