// The pages speak the browser's language (English or German), switch on request, remember
// the choice, and word the server's error codes themselves.
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from '../helpers/browser.js';

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

  it('falls back to English for a language it does not speak', async () => {
    const context = await t.browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${t.app.origin}/signin`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    await context.close();
  });
});
