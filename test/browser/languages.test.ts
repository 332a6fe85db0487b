// The pages speak the browser's language (English or German), switch on request, remember
// the choice, and word the server's error codes and default names themselves.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { de } from '../../client/src/i18n/de.js';
import type { MessageKey } from '../../client/src/i18n/i18n.js';
import { useBrowserApp } from '../helpers/browser.js';
import { addVirtualKey } from '../helpers/virtualAuthenticator.js';

const say = (key: MessageKey, values: Record<string, string | number> = {}) => String(new IntlMessageFormat(de[key], 'de-DE').format(values));

describe('languages in the browser', () => {
  const t = useBrowserApp();

  it('speaks German to a German browser, words a refused password in German, and switches to English for good', async () => {
    const context = await t.browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    const heading = () => page.getByRole('heading', { level: 1 }).textContent();
    await page.goto(`${t.app.origin}/signin`);
    await expect.poll(heading).toBe('Anmelden');
    expect(await page.locator('html').getAttribute('lang')).toBe('de');

    await page.getByLabel('Benutzername').fill('nobody');
    await page.getByLabel('Passwort').fill('not the password');
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('passen nicht zusammen');

    await page.getByRole('combobox', { name: 'Sprache' }).selectOption('en');
    await expect.poll(heading).toBe('Sign in');
    await page.reload();
    await expect.poll(heading).toBe('Sign in');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await context.close();
  });

  it('tells a German visitor of an unknown address so, in German, with a German page title', async () => {
    const context = await t.browser.newContext({ locale: 'de-AT' });
    const page = await context.newPage();
    await page.goto(`${t.app.origin}/gibt-es-nicht`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Seite nicht gefunden');
    expect(await page.title()).toBe('Seite nicht gefunden · Keyward');
    await context.close();
  });

  /** A German newcomer who adds a key without naming it. */
  async function signUpWithUnnamedKey(username: string, synced: boolean) {
    const context = await t.browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    await addVirtualKey(context, page, undefined, { synced });
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel(de['signup.username']).fill(username);
    await page.getByLabel(de['signup.password']).fill('correct horse battery staple');
    await page.getByRole('button', { name: de['signup.submit'] }).click();
    await page.getByRole('button', { name: de['keys.add'] }).click();
    await page.getByRole('button', { name: de['recovery.saved'] }).click();
    return { context, page };
  }

  it('calls an unnamed synced key a passkey in German, not a security key (the kind read from the key’s flags)', async () => {
    const { context, page } = await signUpWithUnnamedKey('hanna', true);
    await expect.poll(() => page.locator('.key-name').allTextContents()).toEqual([say('keys.defaultName', { kind: 'passkey', n: 1 })]);
    expect(await page.locator('.key-model').textContent()).toContain(de['keys.passkeySynced']);
    await context.close();
  });

  it('names a security key and authenticator apps left unnamed in German, numbered', async () => {
    const { context, page } = await signUpWithUnnamedKey('greta', false);
    await expect.poll(() => page.locator('.key-name').allTextContents()).toEqual([say('keys.defaultName', { kind: 'key', n: 1 })]);

    const apps = page.locator('[data-section=authenticators] li strong');
    for (const n of [1, 2]) {
      await page.getByRole('button', { name: de['totp.add'] }).click();
      const secret = ((await page.locator('.totp-secret').getAttribute('data-secret')) ?? '').trim();
      const code = execFileSync('oathtool', ['--totp', '-b', secret, '-N', `@${Math.floor(t.app.clock.now() / 1000)}`], { encoding: 'utf8' }).trim();
      await page.getByLabel(de['totp.codeLabel']).fill(code);
      await page.locator('form.totp-setup').getByRole('button', { name: de['totp.confirm'] }).click();
      await expect.poll(() => apps.count()).toBe(n);
    }
    expect(await apps.allTextContents()).toEqual(expect.arrayContaining([say('totp.defaultName', { n: 1 }), say('totp.defaultName', { n: 2 })]));
    await context.close();
  });

  it('falls back to English for a language it does not speak', async () => {
    const context = await t.browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${t.app.origin}/signin`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    await context.close();
  });
});
