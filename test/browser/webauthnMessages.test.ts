// What the pages say when a key is not used, in English and German: a passkey sign-in on a
// device without one, a key on the second step that is not registered here, a request that
// runs out of time, and a key added twice. Each has its own words, never one catch-all.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from '../helpers/browser.js';
import { LANGUAGES } from '../helpers/languages.js';
import { addVirtualKey } from '../helpers/virtualAuthenticator.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';


describe.each(LANGUAGES)('WebAuthn messages in the browser ($locale)', ({ locale, m }) => {
  // Browsers do not let a request end sooner than 10 s: the shortest time-out worth setting.
  const t = useBrowserApp({ WEBAUTHN_TIMEOUT: '10' });
  const alert = (page: Page) => page.getByRole('alert').first().textContent();

  async function newPage(touched = true) {
    const context = await t.browser.newContext({ locale });
    const page = await context.newPage();
    await addVirtualKey(context, page, undefined, { touched });
    return { context, page };
  }

  async function passwordStep(page: Page, username: string) {
    await page.goto(`${t.app.origin}/signin`);
    await page.getByLabel(m['signin.username']).fill(username);
    await page.getByLabel(m['signin.password']).fill(PASSWORD);
    // Waiting starts before the click: a key prompt that starts itself can pass /verify
    // before a wait begun afterwards would see it.
    await Promise.all([page.waitForURL('**/verify'), page.getByRole('button', { name: m['signin.submit'], exact: true }).click()]);
  }

  it('says no passkey was used when this device has none for the site, and offers the password', async () => {
    const { context, page } = await newPage();
    await page.goto(`${t.app.origin}/signin`);
    await page.getByRole('button', { name: m['signin.passkey'] }).click();
    await expect.poll(() => alert(page)).toBe(m['webauthn.cancelledPasskey']);
    expect(await page.getByLabel(m['signin.password']).isVisible()).toBe(true);
    await context.close();
  });

  it('says the key on the second step is not one registered here, and offers other ways', async () => {
    const username = `key-elsewhere-${locale}`;
    await signUpWithKey(t.app.client(), username); // registered with a key this browser does not hold
    const { context, page } = await newPage();
    await passwordStep(page, username);
    await page.getByRole('button', { name: m['verify.key.button'] }).click();
    await expect.poll(() => alert(page)).toBe(m['webauthn.cancelledVerify']);
    expect(await page.getByRole('button', { name: m['verify.recovery.switch'] }).count()).toBe(1);
    await context.close();
  });

  it('says the request timed out when nobody touched the key in time', async () => {
    const username = `slow-${locale}`;
    await signUpWithKey(t.app.client(), username);
    const { context, page } = await newPage(false);
    await passwordStep(page, username);
    await page.getByRole('button', { name: m['verify.key.button'] }).click();
    await expect.poll(() => alert(page), { timeout: 30_000 }).toBe(m['webauthn.timedOut']);
    await context.close();
  }, 40_000);

  it('says a key added twice is already registered', async () => {
    const { context, page } = await newPage();
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel(m['signup.username']).fill(`twice-${locale}`);
    await page.getByLabel(m['signup.password']).fill(PASSWORD);
    await page.getByRole('button', { name: m['signup.submit'] }).click();
    await page.getByRole('button', { name: m['keys.add'] }).click();
    await page.getByRole('button', { name: m['recovery.saved'] }).click();
    await page.getByRole('button', { name: m['keys.add'] }).click();
    await expect.poll(() => alert(page)).toBe(m['webauthn.previouslyRegistered']);
    await context.close();
  });
});
