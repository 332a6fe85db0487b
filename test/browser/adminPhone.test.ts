// The admin console on a 390 px phone: no sideways scrolling, every control reached by a real
// tap where it is drawn, one page of people at a time, and each answer next to what asked.
import { describe, expect, it } from 'vitest';
import { en } from '../../client/src/i18n/en.js';
import { useBrowserApp } from '../helpers/browser.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import { aUser } from '../contract/storageContract.js';
import { controlsMissedByTap, horizontalOverflow, PHONE, whollyInView } from './phoneTaps.js';

describe('the admin console on a phone', () => {
  const t = useBrowserApp({ ADMIN_USERNAMES: 'root' });

  it('fits a 390 px screen, every control takes a tap, pages through 60 people and answers beside each form', async () => {
    const root = t.app.client();
    await signUpWithKey(root, 'root');
    // 60 more people with long hyphenated names, stored directly: the page, not sign-up, is under test.
    for (let i = 0; i < 60; i++) {
      const name = `field-team-member-${String(i).padStart(2, '0')}`;
      await t.storage.users.create(aUser({ username: name, usernameNormalized: name }));
    }

    const context = await t.browser.newContext({ ...PHONE, locale: 'en-US' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.app.origin });
    await context.addCookies([...root.cookies].map(([name, value]) => ({ name, value, url: t.app.origin })));
    const page = await context.newPage();
    await page.goto(`${t.app.origin}/admin`);
    await expect.poll(() => page.locator('tr[data-user]').count()).toBe(25);

    expect(await horizontalOverflow(page)).toBe(0);
    expect(await controlsMissedByTap(page)).toEqual([]);
    // A hyphenated name stays on one line; an empty "flagged keys" or "lock" says "—".
    const first = page.locator('tr[data-user="field-team-member-00"]');
    expect(await first.locator('.username').evaluate((el) => { const r = document.createRange(); r.selectNodeContents(el); return r.getClientRects().length; })).toBe(1);
    expect(await first.locator(`td[data-label="${en['admin.col.lock']}"]`).innerText()).toContain('—');

    // Paging: 25 at a time, forwards and back, by tap.
    await page.getByRole('button', { name: en['admin.next'] }).tap();
    await expect.poll(() => page.locator('tr[data-user]').first().getAttribute('data-user')).toBe('field-team-member-25');
    expect(await page.getByRole('navigation', { name: en['admin.pages'] }).innerText()).toContain('Users 26–50');
    await page.getByRole('button', { name: en['admin.next'] }).tap();
    await expect.poll(() => page.locator('tr[data-user]').count()).toBe(11);
    expect(await page.getByRole('button', { name: en['admin.next'] }).isVisible()).toBe(false);
    await page.getByRole('button', { name: en['admin.previous'] }).tap();
    await expect.poll(() => page.locator('tr[data-user]').first().getAttribute('data-user')).toBe('field-team-member-25');
    expect(await horizontalOverflow(page)).toBe(0);

    // A user's action: the dialog fits the screen, its button takes the tap, the answer is in that card.
    const card = page.locator('tr[data-user="field-team-member-30"]');
    await card.getByRole('button', { name: en['admin.revoke'] }).tap();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // Polled: the dialog and the answer may still be settling (opening, scrolling into view).
    await expect.poll(() => whollyInView(page, 'dialog.confirm')).toBe(true);
    expect(await controlsMissedByTap(page, 'dialog.confirm button')).toEqual([]);
    await dialog.getByRole('button', { name: en['admin.revoke'] }).tap();
    const answer = page.locator('tr[data-answers-for="field-team-member-30"] [role=status]');
    await expect.poll(() => answer.textContent()).toBe('Sign out everywhere: done for field-team-member-30.');
    await expect.poll(() => whollyInView(page, 'tr[data-answers-for="field-team-member-30"] [role=status]')).toBe(true);

    // Add a user by tap: the link shows whole next to the form, with a Copy button that copies it.
    await page.getByLabel(en['admin.username'], { exact: true }).tap();
    await page.keyboard.type('new-phone-user');
    await page.locator('#add-user').getByRole('button', { name: en['admin.addUser'] }).tap();
    const link = page.getByLabel('Enrolment link for new-phone-user');
    await link.waitFor();
    const url = await link.inputValue();
    await expect.poll(() => link.evaluate((el) => el.scrollHeight <= el.clientHeight)).toBe(true);
    const addForm = page.locator('.access-form', { has: page.locator('#add-user') });
    expect(await addForm.getByRole('status').first().textContent()).toBe('Add user: done.');
    await addForm.getByRole('button', { name: en['admin.copyLink'] }).tap();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    expect(await horizontalOverflow(page)).toBe(0);
    await context.close();
    // About 150 controls are each tapped in turn: generous on a busy machine (a bound, not a measure).
  }, 300_000);
});
