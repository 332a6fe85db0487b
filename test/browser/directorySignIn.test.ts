// A person from the organisation's LDAP directory (a real slapd) signs in to the real client
// in Chromium with their directory password and enrols a security key on top.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from '../helpers/browser.js';
import { openPageWithKey, type VirtualKey } from '../helpers/virtualAuthenticator.js';
import { useSlapd } from '../helpers/directoryFixture.js';
import { PEOPLE } from '../helpers/slapd.js';

const alice = PEOPLE.find((p) => p.uid === 'alice')!;

describe('a directory person in the browser', () => {
  const directory = useSlapd();
  const t = useBrowserApp(() => ({ ...directory.slapd.env, LDAP_PASSWORD_HELP_URL: 'https://id.example.org/password' }));
  let page: Page;
  let key: VirtualKey;

  beforeAll(async () => {
    ({ page, key } = await openPageWithKey(t.browser));
  });

  const heading = () => page.getByRole('heading', { level: 1 }).textContent();
  const sessionStatus = () => page.evaluate(async () => ((await (await fetch('/api/session')).json()) as { status: string; aal: number }));

  it('signs in with the directory password and enrols a security key', async () => {
    await page.goto(`${t.app.origin}/signin`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(alice.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(heading).toBe('Security settings');
    await page.getByLabel('Name for the new key (optional)').fill('Directory key');
    await page.getByRole('button', { name: 'Add a security key' }).click();
    await expect.poll(heading).toBe('Save your recovery codes');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await expect.poll(() => page.locator('.key-name').allTextContents()).toEqual(['Directory key']);
    expect(await key.credentials()).toHaveLength(1);
    expect(await sessionStatus()).toMatchObject({ status: 'authenticated', aal: 2 });
  });

  it('signs in again with the directory password and the key, and is greeted by the directory name', async () => {
    await page.goto(`${t.app.origin}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(alice.password);
    await Promise.all([page.waitForURL('**/verify'), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    await page.getByRole('button', { name: 'Use security key' }).click();
    await expect.poll(heading).toBe('Hello, Alice Liddell');
    expect(await sessionStatus()).toMatchObject({ status: 'authenticated', aal: 2 });
    const who = await page.evaluate(async () => (await (await fetch('/api/whoami')).json()) as { groups: string[] });
    expect(who.groups).toEqual(['admins', 'engineering']);
  });

  it('says on "Forgot password?" where directory people reset their password', async () => {
    await page.goto(`${t.app.origin}/forgot-password`);
    const help = page.locator('.directory-password');
    await expect.poll(() => help.textContent()).toContain('organisation');
    expect(await help.getByRole('link').getAttribute('href')).toBe('https://id.example.org/password');
  });
});
