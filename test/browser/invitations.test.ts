// Letting people in through the real client: an administrator invites someone or adds
// them, and that person opens the link and enrols a security key.
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { useBrowserApp } from '../helpers/browser.js';
import { addVirtualKey } from '../helpers/virtualAuthenticator.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { seedInvitation } from '../helpers/accessFlows.js';

describe('invitations and added users in the browser', () => {
  const t = useBrowserApp({ ADMIN_USERNAMES: 'root1,root2', SIGNUP: 'invite' });

  async function newPerson(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await t.browser.newContext();
    const page = await context.newPage();
    await addVirtualKey(context, page);
    return { context, page };
  }

  async function enrolKey(page: Page) {
    await page.getByRole('button', { name: 'Add a security key' }).click();
    await page.getByRole('button', { name: 'I have saved them' }).click();
  }

  /** An administrator (ADMIN_USERNAMES), signed up from a seeded invitation: SIGNUP=invite has no open sign-up. */
  async function administrator(name: string): Promise<{ context: BrowserContext; page: Page }> {
    const token = await seedInvitation(t.storage, t.app.clock.now());
    const admin = await newPerson();
    await admin.page.goto(`${t.app.origin}/signup?invitation=${token}`);
    await admin.page.getByLabel('Username').fill(name);
    await admin.page.getByLabel('Password').fill(PASSWORD);
    await admin.page.getByRole('button', { name: 'Create account' }).click();
    await enrolKey(admin.page);
    await admin.page.goto(`${t.app.origin}/admin`);
    return admin;
  }

  it('an administrator invites someone by e-mail; they open the link, sign up and enrol a key', async () => {
    const admin = await administrator('root1');
    await admin.page.getByLabel('E-mail address (optional: binds the invitation to it)').fill('ann@example.com');
    await admin.page.getByLabel('Groups (comma-separated, optional)').last().fill('staff');
    await admin.page.getByRole('button', { name: 'Create invitation' }).click();
    const link = await admin.page.getByLabel('Invitation for ann@example.com').inputValue();
    expect(new URL(link).pathname).toBe('/signup');

    const ann = await newPerson();
    await ann.page.goto(link);
    await expect.poll(() => ann.page.getByRole('heading', { level: 1 }).textContent()).toBe('You are invited: create your account');
    expect(await ann.page.getByLabel('E-mail address').inputValue()).toBe('ann@example.com');
    await ann.page.getByLabel('Username').fill('ann');
    await ann.page.getByLabel('Password').fill(PASSWORD);
    await ann.page.getByRole('button', { name: 'Create account' }).click();
    await enrolKey(ann.page);
    const who = await ann.page.evaluate(async () => (await fetch('/api/whoami')).json());
    expect(who).toMatchObject({ user: { username: 'ann' }, groups: ['staff'], aal: 2 });

    // Used once: the same link now says so.
    const late = await newPerson();
    await late.page.goto(link);
    await expect.poll(() => late.page.getByRole('heading', { level: 1 }).textContent()).toBe('This invitation cannot be used');
    for (const p of [admin, ann, late]) await p.context.close();
  });

  it('an administrator adds a user; the enrolment link sets their password and they enrol a key', async () => {
    const admin = await administrator('root2');
    await admin.page.getByLabel('Username', { exact: true }).fill('carol');
    await admin.page.getByLabel('Groups (comma-separated, optional)').first().fill('ops');
    await admin.page.getByRole('button', { name: 'Add user' }).click();
    const link = await admin.page.getByLabel('Enrolment link for carol').inputValue();

    const carol = await newPerson();
    await carol.page.goto(link);
    await expect.poll(() => carol.page.getByRole('heading', { level: 1 }).textContent()).toBe('Welcome, carol');
    await carol.page.getByLabel('Choose a password').fill(PASSWORD);
    await carol.page.getByRole('button', { name: 'Set password' }).click();
    await enrolKey(carol.page);
    const who = await carol.page.evaluate(async () => (await fetch('/api/whoami')).json());
    expect(who).toMatchObject({ user: { username: 'carol' }, groups: ['ops'], aal: 2 });

    // The administrator edits carol's groups from the user list.
    await admin.page.reload();
    const row = admin.page.locator('tr[data-user="carol"]');
    await row.getByLabel('Groups of carol').fill('ops, oncall');
    await row.getByRole('button', { name: 'Save groups' }).click();
    await expect.poll(async () => (await t.storage.users.findByUsername('carol'))?.groups).toEqual(['oncall', 'ops']);
    for (const p of [admin, carol]) await p.context.close();
  });
});
