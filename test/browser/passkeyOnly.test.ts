// Passkey-only accounts in the browser (issue 24): an account made with a passkey instead of a
// password (recovery codes shown, a nudge to add a second key), signed in again with the
// passkey button and through the username field's autofill; a password removed (confirmed with
// the passkey) and set again. English and German, Chromium's virtual key with user verification.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { tellPageStateOnFailure, useBrowserApp } from '../helpers/browser.js';
import { LANGUAGES } from '../helpers/languages.js';
import { addVirtualKey } from '../helpers/virtualAuthenticator.js';
import { seedInvitation } from '../helpers/accessFlows.js';
import { aUser } from '../contract/storageContract.js';
import { UNUSABLE_PASSWORD } from '../../server/accounts/createAccountService.js';

const PASSWORD = 'correct horse battery staple';

describe.each(LANGUAGES)('passkey-only accounts in the browser ($locale)', ({ locale, m }) => {
  const t = useBrowserApp();
  let context: BrowserContext;
  let page: Page;
  const hello = (name: string) => m['account.title'].replace('{name}', name);
  const heading = () => page.getByRole('heading', { level: 1 }).textContent();

  beforeEach(tellPageStateOnFailure(() => page));

  async function freshPage() {
    context = await t.browser.newContext({ locale });
    page = await context.newPage();
    page.setDefaultTimeout(12_000);
    const key = await addVirtualKey(context, page);
    return key;
  }

  async function signOut() {
    await page.goto(`${t.app.origin}/`);
    await page.getByRole('button', { name: m['account.signOut'] }).click();
    await page.waitForURL('**/signin');
  }

  it('creates an account with a passkey and no password, shows the recovery codes, and signs in again with the passkey', async () => {
    const key = await freshPage();
    const name = `pia-${locale}`;
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel(m['signup.username']).fill(name);
    await page.getByRole('button', { name: m['signup.passkeyInstead'] }).click();
    await page.getByRole('heading', { name: m['recovery.saveTitle'] }).waitFor();
    expect(await page.locator('ol.recovery-codes li').count()).toBe(10);
    await page.getByRole('button', { name: m['recovery.saved'] }).click();
    // Settings: no password, a nudge towards a second key, and a form to set a password later.
    const password = page.locator('[data-section=password]');
    await password.getByText(m['password.none']).waitFor();
    await password.locator('[data-nudge=second-key]').waitFor();
    expect(await password.getByRole('button', { name: m['password.set'] }).count()).toBe(1);
    const stored = await key.credentials();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.isResidentCredential).toBe(true);

    await signOut();
    await page.getByRole('button', { name: m['signin.passkey'] }).click();
    await expect.poll(heading).toBe(hello(name));
    const session = await page.evaluate(() => fetch('/api/session').then((r) => r.json()));
    expect(session).toMatchObject({ status: 'authenticated', aal: 2, password: false });
    await context.close();
  });

  it('signs a passkey-only account in through the username field’s passkey autofill', async () => {
    await freshPage();
    const name = `abe-${locale}`;
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel(m['signup.username']).fill(name);
    await page.getByRole('button', { name: m['signup.passkeyInstead'] }).click();
    await page.getByRole('button', { name: m['recovery.saved'] }).click();
    await page.locator('[data-section=password]').waitFor();
    await signOut();
    expect(await page.getByLabel(m['signin.username']).getAttribute('autocomplete')).toBe('username webauthn');
    // Conditional mediation: the page asks for a passkey as soon as it loads, without a click.
    // Headless Chromium reports no conditional UI (no autofill drop-down to draw), so the page
    // is told it has one; the request it then makes (mediation: 'conditional') is the real one,
    // and the virtual key answers it.
    await page.addInitScript(() => {
      PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(true);
    });
    const conditional = page.waitForRequest((r) => r.url().includes('/api/webauthn/authentication/options'));
    await page.reload();
    // No click: the request the page made on arrival signs the person in.
    await conditional;
    await expect.poll(heading, { timeout: 15_000 }).toBe(hello(name));
    await context.close();
  });

  it("finishes an administrator's enrolment link with a passkey instead of a password", async () => {
    await freshPage();
    const user = aUser({ passwordHash: UNUSABLE_PASSWORD });
    await t.storage.users.create(user);
    const token = await seedInvitation(t.storage, t.app.clock.now(), { kind: 'enrolment', userId: user.id });
    await page.goto(`${t.app.origin}/enrol?token=${token}`);
    await page.getByRole('button', { name: m['enrol.passkey'] }).click();
    await page.getByRole('heading', { name: m['recovery.saveTitle'] }).waitFor();
    await page.getByRole('button', { name: m['recovery.saved'] }).click();
    await page.locator('[data-section=password]').getByText(m['password.none']).waitFor();
    expect(await page.evaluate(() => fetch('/api/session').then((r) => r.json()))).toMatchObject({ status: 'authenticated', aal: 2, password: false, user: { id: user.id } });
    await context.close();
  });

  it('removes the password after confirming with the passkey, then sets one again', async () => {
    await freshPage();
    const name = `rita-${locale}`;
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel(m['signup.username']).fill(name);
    await page.getByLabel(m['signup.password']).fill(PASSWORD);
    await page.getByRole('button', { name: m['signup.submit'] }).click();
    await page.getByLabel(m['keys.nameLabel']).fill('Laptop');
    await page.getByRole('button', { name: m['keys.add'] }).click();
    await page.getByRole('button', { name: m['recovery.saved'] }).click();
    await page.locator('.key-name', { hasText: 'Laptop' }).waitFor();

    const section = page.locator('[data-section=password]');
    await section.getByRole('button', { name: m['password.remove'] }).click();
    await page.getByRole('dialog').getByRole('button', { name: m['password.remove'] }).click();
    // The server asks for a passkey step-up; the page runs it with the virtual key and retries.
    await page.getByText(m['password.removed']).waitFor();
    await section.getByText(m['password.none']).waitFor();
    const removed = await page.evaluate(() => fetch('/api/session').then((r) => r.json()));
    expect(removed).toMatchObject({ password: false });

    const next = section.getByLabel(m['password.new']);
    await next.fill('a passphrase after all');
    await section.getByRole('button', { name: m['password.set'] }).click();
    await page.getByText(m['password.setDone']).waitFor();
    expect(await page.evaluate(() => fetch('/api/session').then((r) => r.json()))).toMatchObject({ password: true });

    await signOut();
    await page.getByLabel(m['signin.username']).fill(name);
    await page.getByLabel(m['signin.password']).fill('a passphrase after all');
    await Promise.all([page.waitForURL('**/verify'), page.getByRole('button', { name: m['signin.submit'], exact: true }).click()]);
    await context.close();
  });
});

describe.each(LANGUAGES)('PASSWORDS=off in the browser ($locale)', ({ locale, m }) => {
  const t = useBrowserApp({ PASSWORDS: 'off' });

  it('offers no password at sign-up or sign-in: the account is made and signed in with a passkey', async () => {
    const context = await t.browser.newContext({ locale });
    const page = await context.newPage();
    page.setDefaultTimeout(12_000);
    await addVirtualKey(context, page);
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel(m['signup.username']).fill('olga');
    expect(await page.getByLabel(m['signup.password']).count()).toBe(0);
    await page.getByRole('button', { name: m['signup.submitPasskey'] }).click();
    await page.getByRole('button', { name: m['recovery.saved'] }).click();
    const section = page.locator('[data-section=password]');
    await section.getByText(m['password.none']).waitFor();
    expect(await section.getByRole('button', { name: m['password.set'] }).count()).toBe(0);
    await page.goto(`${t.app.origin}/`);
    await page.getByRole('button', { name: m['account.signOut'] }).click();
    await page.waitForURL('**/signin');
    expect(await page.getByLabel(m['signin.password']).count()).toBe(0);
    await page.getByRole('button', { name: m['signin.passkey'] }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(m['account.title'].replace('{name}', 'olga'));
    await context.close();
  });
});
