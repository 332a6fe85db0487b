// The operator's name and logo on every page and in its title, light and dark themes from
// the system setting, and no CSP violation for any of it.
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from '../helpers/browser.js';

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
});
