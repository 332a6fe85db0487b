// Every page passes axe-core's WCAG 2.2 A/AA rules and best practices, in English and German:
// sign-in, sign-up, the second-step page, settings with a key, administration and the 404.
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from '../helpers/browser.js';
import type { HttpClient } from '../helpers/httpClient.js';
import { passwordStep, signUpWithKey } from '../helpers/webauthnFlows.js';
import { axeViolations } from './axe.js';

describe('accessibility (axe-core)', () => {
  const t = useBrowserApp({ ADMIN_USERNAMES: 'root' });

  async function check(locale: string, path: string, signedIn?: HttpClient) {
    const context = await t.browser.newContext({ locale, bypassCSP: true });
    if (signedIn) await context.addCookies([...signedIn.cookies].map(([name, value]) => ({ name, value, url: t.app.origin })));
    const page = await context.newPage();
    await page.goto(`${t.app.origin}${path}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    const lang = await page.locator('html').getAttribute('lang');
    const heading = await page.getByRole('heading', { level: 1 }).textContent();
    // The page asked for, not a redirect to sign-in.
    const at = new URL(page.url()).pathname;
    const violations = await axeViolations(page);
    await context.close();
    return { at, lang, heading, violations };
  }

  it('finds no violation on any page, in English and in German', async () => {
    const root = t.app.client();
    await signUpWithKey(root, 'root');
    const alice = t.app.client();
    await signUpWithKey(alice, 'alice');
    const halfway = t.app.client();
    await passwordStep(halfway, 'alice');

    const pages: [string, HttpClient | undefined][] = [
      ['/signin', undefined],
      ['/signup', undefined],
      ['/verify', halfway],
      ['/settings', root],
      ['/admin', root],
      ['/no-such-page', undefined],
    ];
    const headings: (string | null)[] = [];
    for (const [locale, lang] of [['en-US', 'en'], ['de-DE', 'de']] as const) {
      for (const [path, client] of pages) {
        const result = await check(locale, path, client);
        expect(result.at).toBe(path);
        expect(result.lang, path).toBe(lang);
        headings.push(result.heading);
        expect(result.violations, `${locale} ${path}`).toEqual([]);
      }
    }
    // Twelve distinct pages: each language and page really rendered its own heading.
    expect(new Set(headings).size, headings.join(' | ')).toBe(pages.length * 2);
  }, 120_000);
});
