// No dead ends, in English and German: a lapsed second step, a session ended elsewhere, an
// unknown address, a second visit to the sign-in page, a recovery code that leaves few; and
// the in-page dialogs and inline rename.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { IntlMessageFormat } from 'intl-messageformat';
import { tellPageStateOnFailure, useBrowserApp } from '../helpers/browser.js';
import { LANGUAGES } from '../helpers/languages.js';
import { addVirtualKey, type VirtualKey } from '../helpers/virtualAuthenticator.js';


describe.each(LANGUAGES)('dead ends in the browser ($locale)', ({ locale, m }) => {
  const t = useBrowserApp();
  let context: BrowserContext;
  let page: Page;
  let codes: string[];
  let key: VirtualKey;
  /** Once a key passed the second step here, this browser starts the key prompt by itself. */
  let keyUsedHere = false;
  const heading = () => page.getByRole('heading', { level: 1 }).textContent();
  const hello = m['account.title'].replace('{name}', 'dana');
  const renameLabel = (name: string) => m['common.newNameFor'].replace('{name}', name);

  beforeAll(async () => {
    context = await t.browser.newContext({ locale });
    page = await context.newPage();
    // A step that cannot happen fails on its own, naming what it waited for, well before the
    // test's limit (a hung step would otherwise leave only "Test timed out").
    page.setDefaultTimeout(12_000);
    key = await addVirtualKey(context, page);
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel(m['signup.username']).fill('dana');
    await page.getByLabel(m['signup.password']).fill('correct horse battery staple');
    await page.getByRole('button', { name: m['signup.submit'] }).click();
    await page.getByLabel(m['keys.nameLabel']).fill('Only key');
    await page.getByRole('button', { name: m['keys.add'] }).click();
    await page.getByRole('heading', { name: m['recovery.saveTitle'] }).waitFor();
    codes = await page.locator('.recovery-codes li').allTextContents();
    await page.getByRole('button', { name: m['recovery.saved'] }).click();
    await page.locator('.key-name', { hasText: 'Only key' }).waitFor();
  });

  beforeEach(tellPageStateOnFailure(() => page));

  async function signOutAndEnterPassword() {
    await page.goto(`${t.app.origin}/`);
    await page.getByRole('button', { name: m['account.signOut'] }).click();
    await page.waitForURL('**/signin');
    await enterPassword();
  }

  async function enterPassword() {
    await page.getByLabel(m['signin.username']).fill('dana');
    await page.getByLabel(m['signin.password']).fill('correct horse battery staple');
    // Waiting starts before the click: a key prompt that starts itself can pass /verify
    // before a wait begun afterwards would see it.
    await Promise.all([page.waitForURL('**/verify'), page.getByRole('button', { name: m['signin.submit'], exact: true }).click()]);
  }

  async function signInWithKey() {
    await enterPassword();
    if (!keyUsedHere) await page.getByRole('button', { name: m['verify.key.button'] }).click();
    await expect.poll(heading).toBe(hello);
    keyUsedHere = true;
  }

  it('says a lapsed second step timed out, offers to start again, and says so again on reopening', async () => {
    await signOutAndEnterPassword();
    // The verify page first asks the server where the sign-in stands: the clock moves only
    // once it has its answer, else the page opens on the lapsed step and offers no methods.
    await page.getByRole('button', { name: m['verify.recovery.switch'] }).waitFor();
    t.app.clock.advance(301_000);
    await page.getByRole('button', { name: m['verify.recovery.switch'] }).click();
    await page.getByLabel(m['verify.recovery.label']).fill('7h2kq-m9xcd');
    await page.getByRole('button', { name: m['common.verify'] }).click();
    await expect.poll(heading).toBe(m['deadEnd.timedOutTitle']);
    await page.reload();
    await expect.poll(heading).toBe(m['deadEnd.timedOutTitle']);
    expect(await page.title()).toBe(`${m['deadEnd.timedOutTitle']} · Keyward`);
    await page.getByRole('button', { name: m['deadEnd.startAgain'] }).click();
    await expect.poll(heading).toBe(m['signin.title']);
  });

  it('confirms a sign-out, and sends a signed-in visitor of the sign-in page to the settings', async () => {
    await signInWithKey();
    const facts = await page.locator('dl.facts').textContent();
    expect(facts).toContain(m['factorName.webauthn']);
    expect(facts).toContain(m['factorName.recovery_code']);
    expect(facts).not.toMatch(/AAL|webauthn|recovery_code/);
    await page.goto(`${t.app.origin}/signin`);
    await expect.poll(heading).toBe(m['settings.title']);

    await page.goto(`${t.app.origin}/`);
    await page.getByRole('button', { name: m['account.signOut'] }).click();
    await expect.poll(() => page.locator('[data-signed-out]').textContent()).toBe(m['signin.signedOut']);
  });

  it('says "You were signed out" with a way back when the session ended in another tab', async () => {
    await signInWithKey();
    await page.getByRole('link', { name: m['account.settingsLink'] }).click();
    await expect.poll(heading).toBe(m['settings.title']);
    const otherTab = await context.newPage();
    await otherTab.goto(`${t.app.origin}/`);
    await otherTab.getByRole('button', { name: m['account.signOut'] }).click();
    await otherTab.close();

    await page.getByRole('button', { name: m['common.rename'] }).click();
    await page.getByLabel(renameLabel('Only key')).press('Enter');
    await expect.poll(heading).toBe(m['deadEnd.endedTitle']);
    expect(await page.getByText(m['error.unauthenticated']).count()).toBe(0);
    await page.getByRole('link', { name: m['common.signIn'] }).click();
    await expect.poll(heading).toBe(m['signin.title']);
  });

  it('renames inline with Enter, cancels with Escape, explains an empty name, and refuses to remove the only key before asking for it', async () => {
    await signInWithKey();
    await page.goto(`${t.app.origin}/settings`);

    await page.getByRole('button', { name: m['common.rename'] }).click();
    await page.getByLabel(renameLabel('Only key')).fill('   ');
    await page.getByLabel(renameLabel('Only key')).press('Enter');
    // Said next to the field being edited, not under the section's Add button.
    await expect.poll(() => page.locator('li.key form.rename').getByRole('alert').textContent()).toBe(m['rename.invalid'].replace('{max}', '64'));
    await page.getByLabel(renameLabel('Only key')).press('Escape');
    await expect.poll(() => page.getByRole('button', { name: m['common.rename'] }).count()).toBe(1);
    await page.getByRole('button', { name: m['common.rename'] }).click();
    await page.getByLabel(renameLabel('Only key')).fill('Blue key');
    await page.getByLabel(renameLabel('Only key')).press('Enter');
    await expect.poll(() => page.locator('.key-name').allTextContents()).toEqual(['Blue key']);

    t.app.clock.advance(301_000); // a step-up would be due, but the refusal comes first
    await page.getByRole('button', { name: m['common.remove'] }).click();
    await page.getByRole('dialog').getByRole('button', { name: m['common.remove'] }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBe(m['error.last_factor']);
    expect(await page.locator('.step-up').count()).toBe(0);
  });

  it('after a recovery code that leaves few, says how many and offers only Continue', async () => {
    // Six codes spent as step-ups while signed in, so the seventh leaves three.
    for (const code of codes.slice(0, 6)) {
      const status = await page.evaluate(async (c) => (await fetch('/api/recovery-codes/verify', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: c }) })).status, code);
      expect(status).toBe(200);
    }
    // The key is not at hand: the prompt that starts by itself waits, and choosing a recovery
    // code instead stops it.
    await key.remove();
    await signOutAndEnterPassword();
    await page.getByRole('button', { name: m['verify.recovery.switch'] }).click();
    await page.getByLabel(m['verify.recovery.label']).fill(codes[6]!);
    await page.getByRole('button', { name: m['common.verify'] }).click();
    const left = page.locator('.verify-panel [role=status]');
    const threeLeft = String(new IntlMessageFormat(m['verify.recovery.low'], locale).format({ remaining: 3 }));
    await expect.poll(() => left.locator('p').textContent()).toBe(threeLeft);
    expect(await page.locator('.verify-panel').getByRole('button').allTextContents()).toEqual([m['common.continue']]);
    expect(await page.getByRole('link', { name: m['verify.startOver'] }).count()).toBe(0);
    await page.getByRole('button', { name: m['common.continue'] }).click();
    await expect.poll(heading).toBe(hello);
  });

  it('shows a page of its own for an unknown address, with its own title', async () => {
    await page.goto(`${t.app.origin}/no-such-page`);
    await expect.poll(heading).toBe(m['deadEnd.notFoundTitle']);
    expect(await page.title()).toBe(`${m['deadEnd.notFoundTitle']} · Keyward`);
  });
});
