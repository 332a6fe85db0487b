// The admin page and the security notices, through the real client.
import { describe, expect, it } from 'vitest';
import { en } from '../../client/src/i18n/en.js';
import { useBrowserApp } from '../helpers/browser.js';
import { addVirtualKey } from '../helpers/virtualAuthenticator.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import { signUpWithPasskey } from '../helpers/passkeyFlows.js';

describe('administration and notices in the browser', () => {
  const t = useBrowserApp({ ADMIN_USERNAMES: 'root' });


  it('shows a new key as a notice, and lets an administrator sign a user out everywhere', async () => {
    const alice = t.app.client();
    await signUpWithKey(alice, 'alice');
    await signUpWithPasskey(t.app.client(), 'bob');

    const context = await t.browser.newContext();
    const page = await context.newPage();
    await addVirtualKey(context, page);
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel('Username').fill('root');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: 'Add a security key' }).click();
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByRole('link', { name: 'Back to your account' }).click();

    await expect.poll(() => page.locator('[data-notice]').allTextContents()).toEqual([expect.stringContaining('A security key was added to your account.')]);
    await page.getByRole('button', { name: 'Mark as read' }).click();
    await expect.poll(() => page.locator('[data-notice]').count()).toBe(0);

    await page.getByRole('link', { name: 'Administration' }).click();
    await expect.poll(() => page.locator('tr[data-user]').count()).toBe(3);
    // Who has no password to fall back on, before anyone resets them.
    expect(await page.locator('tr[data-user="bob"] .source').allTextContents()).toEqual([en['admin.source.local'], en['admin.password.none']]);
    expect(await page.locator('tr[data-user="alice"] .source').allTextContents()).toEqual([en['admin.source.local']]);
    // The list explains its columns ("Flagged keys" above all) in the table's caption, which names the table.
    expect(await page.getByRole('table', { name: en['admin.legend'] }).getByRole('columnheader').allTextContents()).toContain(en['admin.col.keys']);
    await page.locator('tr[data-user="alice"]').getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Sign out everywhere' }).click();
    // The answer appears with alice, not at the top of the page.
    const answer = page.locator('tr[data-answers-for="alice"] [role=status]');
    await expect.poll(() => answer.textContent()).toContain('Sign out everywhere: done for alice.');
    expect((await alice.get('/api/session')).body).toMatchObject({ status: 'anonymous' });
    // A new search clears the last "done", so it is never read as being about the new list.
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => answer.textContent()).toBe('');
    await context.close();
  });
});
