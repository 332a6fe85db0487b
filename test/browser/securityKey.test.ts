// Security keys through the real client in Chromium, with a CDP virtual authenticator.
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { useBrowserApp } from '../helpers/browser.js';
import { addVirtualKey, openPageWithKey, type VirtualKey } from '../helpers/virtualAuthenticator.js';

describe('security keys in the browser', () => {
  const t = useBrowserApp();
  let context: BrowserContext;
  let page: Page;
  let key: VirtualKey;

  beforeAll(async () => {
    ({ context, page, key } = await openPageWithKey(t.browser));
  });

  const heading = () => page.getByRole('heading', { level: 1 }).textContent();
  const sessionStatus = () => page.evaluate(async () => ((await (await fetch('/api/session')).json()) as { status: string; aal: number }));

  async function signOut() {
    await page.goto(`${t.app.origin}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
  }

  async function passwordStep() {
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('correct horse battery staple');
    // Waiting starts before the click: a key prompt that starts itself can pass /verify
    // before a wait begun afterwards would see it.
    await Promise.all([page.waitForURL('**/verify'), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
  }

  it('registers a security key right after creating an account', async () => {
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(heading).toBe('Security settings');
    await page.getByLabel('Name for the new key (optional)').fill('Virtual key');
    await page.getByRole('button', { name: 'Add a security key' }).click();
    // The first second factor comes with ten recovery codes, shown this once.
    await expect.poll(heading).toBe('Save your recovery codes');
    expect(await page.locator('.recovery-codes li').count()).toBe(10);
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await expect.poll(() => page.locator('.key-name').allTextContents()).toEqual(['Virtual key']);
    expect(await key.credentials()).toHaveLength(1);
    expect(await sessionStatus()).toMatchObject({ status: 'authenticated', aal: 2 });
  });

  it('signs in with password and the key', async () => {
    await signOut();
    await passwordStep();
    await page.getByRole('button', { name: 'Use security key' }).click();
    await expect.poll(heading).toBe('Hello, alice');
    expect(await sessionStatus()).toMatchObject({ status: 'authenticated', aal: 2 });
  });

  it('signs in with a passkey and no username', async () => {
    await signOut();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect.poll(heading).toBe('Hello, alice');
    expect(await sessionStatus()).toMatchObject({ status: 'authenticated', aal: 2 });
  });

  it('refuses a bogus signature with a plain message and stays at the second step', async () => {
    await signOut();
    // This browser used the key last time: the prompt starts by itself after the password.
    await key.setBogusSignature(true);
    await passwordStep();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('could not be verified');
    expect(await sessionStatus()).toMatchObject({ status: 'mfa_required', aal: 1 });
    await key.setBogusSignature(false);
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(heading).toBe('Hello, alice');
  });

  it('removes a key after confirming with another key (step-up)', async () => {
    // A second key on a second virtual authenticator (the first one unplugged).
    await key.remove();
    t.app.clock.advance(1000); // keys list in order of creation: keep the two apart
    const second = await addVirtualKey(context, page, key.cdp);
    await page.goto(`${t.app.origin}/settings`);
    await page.getByLabel('Name for the new key (optional)').fill('Backup key');
    await page.getByRole('button', { name: 'Add a security key' }).click();
    await expect.poll(() => page.locator('.key-name').allTextContents()).toEqual(['Virtual key', 'Backup key']);

    t.app.clock.advance(301_000); // the last second-factor check is now too old
    await page.locator('li.key', { hasText: 'Virtual key' }).getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => page.getByText('confirm it is you before making this change').count()).toBe(1);
    await page.getByRole('button', { name: 'Use security key' }).click();
    await expect.poll(() => page.locator('.key-name').allTextContents()).toEqual(['Backup key']);
    expect(await second.credentials()).toHaveLength(1);
  });
});
