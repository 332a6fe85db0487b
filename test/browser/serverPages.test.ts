// The pages Keyward renders on the server, in Chromium: the no-access page (forward-auth with
// access rules) and the consent page wear the client's look and header, follow light and dark,
// speak the browser's language (and the language switch, remembered for the client too), name
// the account signed in, and pass axe-core's rules in English and German, light and dark.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { useBrowserApp } from '../helpers/browser.js';
import { PASSWORD } from '../helpers/appFixture.js';
import type { HttpClient } from '../helpers/httpClient.js';
import { axeViolations, LOOKS } from './axe.js';

const dir = mkdtempSync(join(tmpdir(), 'keyward-server-pages-'));
const callback = 'http://localhost:9/cb';
const clientsFile = join(dir, 'clients.yaml');
writeFileSync(clientsFile, `- client_id: wiki\n  client_secret: wiki-secret-0123456789\n  redirect_uris: [${callback}]\n  client_name: "Team <Wiki> & Co"\n`);
const rulesFile = join(dir, 'rules.yaml');
writeFileSync(rulesFile, 'default_policy: deny\nrules:\n  - domain: app.example.com\n    subject: group:staff\n    policy: one_factor\n');

describe('the server-rendered pages', () => {
  const t = useBrowserApp({ OIDC_CLIENTS_FILE: clientsFile, ACCESS_RULES_FILE: rulesFile, TRUST_PROXY: 'true', AUTHZ_RETURN_DOMAINS: 'localhost', MFA_REQUIRED: 'false' });
  let alice: HttpClient;

  beforeAll(async () => {
    alice = t.app.client();
    await alice.post('/api/accounts', { username: 'alice', password: PASSWORD });
  });

  async function open(locale: string, colorScheme: 'light' | 'dark', headers: Record<string, string> = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await t.browser.newContext({ locale, colorScheme, bypassCSP: true, extraHTTPHeaders: headers });
    await context.addCookies([...alice.cookies].map(([name, value]) => ({ name, value, url: t.app.origin })));
    return { context, page: await context.newPage() };
  }
  const background = (page: Page) => page.locator('main').evaluate((m) => getComputedStyle(m).backgroundColor);

  it('shows the no-access page in the look, language and theme of the rest, with the host and port asked for', async () => {
    const forwarded = { 'X-Forwarded-Host': 'app.example.com:8443', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Uri': '/reports' };
    const seen: Record<string, string> = {};
    for (const [locale, scheme] of LOOKS) {
      const { context, page } = await open(locale, scheme, forwarded);
      const res = await page.goto(`${t.app.origin}/api/authz`);
      expect(res?.status()).toBe(403);
      const de = locale === 'de-DE';
      expect(await page.locator('html').getAttribute('lang')).toBe(de ? 'de' : 'en');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(de ? 'Sie haben keinen Zugriff auf app.example.com:8443' : 'You don’t have access to app.example.com:8443');
      expect(await page.locator('main').textContent()).toContain(de ? 'Sie sind als alice angemeldet, und dieses Konto darf app.example.com:8443 nicht verwenden.' : 'You are signed in as alice, and this account is not allowed to use app.example.com:8443.');
      const switchAccount = page.getByRole('link', { name: de ? 'Abmelden oder Konto wechseln' : 'Sign out or switch account' });
      expect(await switchAccount.getAttribute('href')).toBe(`${t.app.origin}/`);
      expect(await page.locator('header.top .brand').textContent()).toBe('Keyward');
      expect(await axeViolations(page), `${locale} ${scheme}`).toEqual([]);
      seen[`${locale} ${scheme}`] = await background(page);
      await context.close();
    }
    // The client's stylesheet, its dark theme included (the card is not white in the dark).
    expect(seen['en-US light']).not.toBe(seen['en-US dark']);
    expect(seen['de-DE dark']).toBe(seen['en-US dark']);
    expect(seen['en-US dark']).not.toBe('rgb(255, 255, 255)');
  });

  it("lets the no-access page take Keyward's stylesheet on the app's host, and nothing more", async () => {
    const res = await fetch(`${t.app.origin}/api/authz`, {
      headers: { Accept: 'text/html', Cookie: [...alice.cookies].map(([n, v]) => `${n}=${v}`).join('; '), 'X-Forwarded-Host': 'app.example.com', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Uri': '/' },
    });
    expect(res.status).toBe(403);
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain(`style-src 'self' ${t.app.origin};`);
    expect(csp).toContain("script-src 'self';");
    expect(await res.text()).toMatch(new RegExp(`<link rel="stylesheet" href="${t.app.origin}/assets/[^"]+\\.css">`));
  });

  const authorizeUrl = (scope: string) =>
    `${t.app.origin}/oidc/auth?${new URLSearchParams({ client_id: 'wiki', response_type: 'code', scope, redirect_uri: callback, state: 's' })}`;

  it('asks for consent in the browser’s language and theme, naming the account and every scope it gives', async () => {
    const seen: Record<string, string> = {};
    for (const [locale, scheme] of LOOKS) {
      const { context, page } = await open(locale, scheme);
      await page.goto(authorizeUrl('openid profile groups'));
      const de = locale === 'de-DE';
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(de ? 'Team <Wiki> & Co erlauben?' : 'Allow Team <Wiki> & Co?');
      expect(await page.locator('html').getAttribute('lang')).toBe(de ? 'de' : 'en');
      expect(await page.locator('main').textContent()).toContain(de ? 'Sie sind als alice angemeldet.' : 'You are signed in as alice.');
      expect(await page.locator('main li').allTextContents()).toEqual(
        de
          ? ['Wer Sie bei Keyward sind (eine Kennung, die sich nie ändert)', 'Ihr Benutzername und Anzeigename', 'Die Gruppen, zu denen Sie gehören']
          : ['Who you are on Keyward (an identifier that never changes)', 'Your username and display name', 'The groups you belong to'],
      );
      expect(await page.getByRole('navigation', { name: de ? 'Sprache' : 'Language' }).getByRole('link').allTextContents()).toEqual(['English', 'Deutsch']);
      expect(await axeViolations(page), `${locale} ${scheme}`).toEqual([]);
      seen[`${locale} ${scheme}`] = await background(page);
      await context.close();
    }
    expect(seen['en-US light']).not.toBe(seen['en-US dark']);
  });

  it("switches the consent page's language, and the client remembers the choice", async () => {
    const { context, page } = await open('en-US', 'light');
    await page.goto(authorizeUrl('openid'));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Allow Team <Wiki> & Co?');
    await page.getByRole('link', { name: 'Deutsch' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Team <Wiki> & Co erlauben?');
    expect(await page.getByRole('button', { name: 'Erlauben' }).count()).toBe(1);
    // The client's own pages now speak German too, for an English browser.
    await page.goto(`${t.app.origin}/settings`);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('de');
    await context.close();
  });
});
