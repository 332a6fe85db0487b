// The second step on a browser that used a security key last time: the key prompt starts by
// itself; after an authenticator code it waits to be asked. While the key does not answer the
// page says so with a moving indicator and a Cancel that returns to the methods. English and German.
import { execFileSync } from 'node:child_process';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { tellPageStateOnFailure, useBrowserApp } from '../helpers/browser.js';
import { LANGUAGES } from '../helpers/languages.js';
import { addVirtualKey, type VirtualKey } from '../helpers/virtualAuthenticator.js';
import { axeViolations } from './axe.js';

const PASSWORD = 'correct horse battery staple';

describe.each(LANGUAGES)('the key prompt on the verify page ($locale)', ({ locale, m }) => {
  const t = useBrowserApp();
  let context: BrowserContext;
  let page: Page;
  let key: VirtualKey;
  let secret: string;
  /** Requests for a key challenge: each one is a key prompt started. */
  let keyPrompts = 0;
  const heading = () => page.getByRole('heading', { level: 1 }).textContent();
  const hello = m['account.title'].replace('{name}', 'erin');
  const keyMethod = () => page.locator('[data-method=webauthn]');

  const oathtool = () => execFileSync('oathtool', ['--totp', '-b', secret, '-N', `@${Math.floor(t.app.clock.now() / 1000)}`], { encoding: 'utf8' }).trim();

  beforeAll(async () => {
    context = await t.browser.newContext({ locale, bypassCSP: true }); // axe is injected inline
    page = await context.newPage();
    page.setDefaultTimeout(12_000);
    page.on('request', (r) => r.url().includes('/api/webauthn/authentication/options') && keyPrompts++);
    key = await addVirtualKey(context, page);
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel(m['signup.username']).fill('erin');
    await page.getByLabel(m['signup.password']).fill(PASSWORD);
    await page.getByRole('button', { name: m['signup.submit'] }).click();
    await page.getByLabel(m['keys.nameLabel']).fill('Blue key');
    await page.getByRole('button', { name: m['keys.add'] }).click();
    await page.getByRole('heading', { name: m['recovery.saveTitle'] }).waitFor();
    await page.getByRole('button', { name: m['recovery.saved'] }).click();
    await page.locator('.key-name', { hasText: 'Blue key' }).waitFor();
    await page.getByLabel(m['totp.nameLabel']).fill('Phone');
    await page.getByRole('button', { name: m['totp.add'] }).click();
    secret = ((await page.locator('.totp-secret').textContent()) ?? '').replace(/\s/g, '');
    await page.getByLabel(m['totp.codeLabel']).fill(oathtool());
    await page.getByRole('button', { name: m['totp.confirm'] }).click();
    await page.locator('[data-section=authenticators] li', { hasText: 'Phone' }).waitFor();
  });

  beforeEach(tellPageStateOnFailure(() => page));

  async function signOutAndEnterPassword() {
    await page.goto(`${t.app.origin}/`);
    await page.getByRole('button', { name: m['account.signOut'] }).click();
    await page.waitForURL('**/signin');
    await page.getByLabel(m['signin.username']).fill('erin');
    await page.getByLabel(m['signin.password']).fill(PASSWORD);
    // Waiting starts before the click: a key prompt that starts itself can pass /verify
    // before a wait begun afterwards would see it.
    await Promise.all([page.waitForURL('**/verify'), page.getByRole('button', { name: m['signin.submit'], exact: true }).click()]);
    await page.locator('.verify-panel .method').waitFor();
  }

  it('after a sign-in with the key, the next sign-in on this browser starts the key prompt without a click', async () => {
    await signOutAndEnterPassword();
    expect(keyPrompts).toBe(0); // never used a key to sign in here: it waits to be asked
    await keyMethod().getByRole('button', { name: m['verify.key.button'] }).click();
    await expect.poll(heading).toBe(hello);

    const before = keyPrompts;
    await signOutAndEnterPassword();
    // Nothing is clicked on the verify page: the prompt starts, the key answers, and she is in.
    await expect.poll(heading).toBe(hello);
    expect(keyPrompts).toBe(before + 1);
  });

  it('while the key does not answer, shows a moving indicator and Cancel; Cancel returns to the methods and Try again starts it again', async () => {
    // The same key, now one nobody touches: the prompt waits.
    const { credentials } = await key.cdp.send('WebAuthn.getCredentials', { authenticatorId: key.authenticatorId });
    await key.remove();
    key = await addVirtualKey(context, page, key.cdp, { touched: false });
    for (const credential of credentials) await key.cdp.send('WebAuthn.addCredential', { authenticatorId: key.authenticatorId, credential });

    await signOutAndEnterPassword();
    const status = keyMethod().getByRole('status');
    await expect.poll(() => status.textContent()).toBe(m['webauthn.touchNow']);
    expect(await keyMethod().locator('.spinner').isVisible()).toBe(true);
    expect(await status.getAttribute('aria-live')).toBe('polite');
    const cancel = keyMethod().getByRole('button', { name: m['common.cancel'] });
    expect(await cancel.isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    await cancel.click();
    await expect.poll(() => status.textContent()).toBe(m['verify.key.cancelled']);
    expect(await keyMethod().locator('.spinner').isVisible()).toBe(false);
    expect(await cancel.isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: m['verify.totp.switch'] }).isVisible()).toBe(true);
    expect(await keyMethod().getByRole('alert').isVisible()).toBe(false); // cancelling is no error
    expect(await axeViolations(page)).toEqual([]);

    const before = keyPrompts;
    await keyMethod().getByRole('button', { name: m['verify.key.again'] }).click();
    await expect.poll(() => status.textContent()).toBe(m['webauthn.touchNow']);
    expect(await cancel.isVisible()).toBe(true);
    // Focus moved from the hidden button to Cancel, not lost to the page.
    expect(await cancel.evaluate((el) => el === document.activeElement)).toBe(true);
    await expect.poll(() => keyPrompts).toBe(before + 1);

    // Choosing another way stops the waiting prompt too; the code signs her in.
    await page.getByRole('button', { name: m['verify.totp.switch'] }).click();
    t.app.clock.advance(30_000); // each code's time step works once
    await page.getByLabel(m['verify.totp.label']).fill(oathtool());
    await page.getByRole('button', { name: m['common.verify'] }).click();
    await expect.poll(heading).toBe(hello);
    expect(await page.evaluate(async () => ((await (await fetch('/api/session')).json()) as { status: string }).status)).toBe('authenticated');
  });

  it('after a sign-in with an authenticator code, the next sign-in does not start the key prompt', async () => {
    const before = keyPrompts;
    await signOutAndEnterPassword();
    // A started prompt shows its waiting state at once, and this key never answers: none is shown.
    const start = keyMethod().getByRole('button', { name: m['verify.key.button'] });
    expect(await start.isVisible()).toBe(true);
    expect(await keyMethod().getAttribute('data-waiting')).toBeNull();
    expect(await keyMethod().getByRole('button', { name: m['common.cancel'] }).isVisible()).toBe(false);
    await page.getByRole('button', { name: m['verify.totp.switch'] }).click();
    t.app.clock.advance(30_000);
    await page.getByLabel(m['verify.totp.label']).fill(oathtool());
    await page.getByRole('button', { name: m['common.verify'] }).click();
    await expect.poll(heading).toBe(hello);
    expect(keyPrompts).toBe(before);
  });
});
