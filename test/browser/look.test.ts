// The operator's name and logo on every page and in its title, light and dark themes from
// the system setting, no CSP violation for any of it, and a settings page that keeps its width.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '../../client/src/i18n/en.js';
import { useBrowserApp } from '../helpers/browser.js';
import { addVirtualKey } from '../helpers/virtualAuthenticator.js';

const mainWidth = async (page: Page) => (await page.locator('main').boundingBox())?.width;

describe('the look of the pages', () => {
  const t = useBrowserApp({ BRAND_NAME: 'Example Login', BRAND_LOGO_URL: 'https://cdn.example.test/logo.svg' });

  it('shows the operator’s name and logo in the header and the page title, in light and in dark', async () => {
    const background: Record<string, string> = {};
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await t.browser.newContext({ colorScheme, locale: 'en-US' });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(m.text()));
      await page.goto(`${t.app.origin}/signin`);
      await expect.poll(() => page.locator('header .brand').textContent()).toBe('Example Login');
      expect(await page.locator('header .brand img').getAttribute('src')).toBe('https://cdn.example.test/logo.svg');
      expect(await page.title()).toBe('Sign in · Example Login');
      background[colorScheme] = await page.locator('main').evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(problems, 'no script errors or CSP violations').toEqual([]);
      await context.close();
    }
    expect(background['light']).toBe('rgb(255, 255, 255)');
    expect(background['dark']).not.toBe(background['light']);
  });

  it('gives the settings page one width, wider than the sign-up card, whether or not the activity table is there', async () => {
    const context = await t.browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await addVirtualKey(context, page);
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel(en['signup.username']).fill('wanda');
    const card = await mainWidth(page);
    await page.getByLabel(en['signup.password']).fill('correct horse battery staple');
    await page.getByRole('button', { name: en['signup.submit'] }).click();

    // Before the first factor: the settings sections are there, but no activity yet.
    await page.getByRole('button', { name: en['keys.add'] }).waitFor();
    expect(await page.locator('table.activity').count()).toBe(0);
    const empty = await mainWidth(page);

    await page.getByRole('button', { name: en['keys.add'] }).click();
    await page.getByRole('button', { name: en['recovery.saved'] }).click();
    await expect.poll(() => page.locator('table.activity tbody tr').count()).toBeGreaterThan(1);
    const full = await mainWidth(page);

    expect(empty).toBe(full);
    expect(full).toBeGreaterThan(card!);
    await context.close();
  });
});
