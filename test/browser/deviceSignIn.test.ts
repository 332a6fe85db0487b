// The device sign-in page in Chromium: a command line (openid-client) shows a code, the
// person opens its link, finds the code filled in on a page in Keyward's look, language and
// theme (axe-clean), confirms which application it is, proves it is them with their
// authenticator app on the verify page, and the command line's polling gets their tokens.
import { beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import type { BrowserContext, Page } from 'playwright-core';
import { useBrowserApp } from '../helpers/browser.js';
import { PASSWORD } from '../helpers/appFixture.js';
import type { HttpClient } from '../helpers/httpClient.js';
import { relyingParty, writeClientsFile } from '../helpers/oidcRelyingParty.js';
import { deviceClients } from '../helpers/deviceFlow.js';
import { codeAt, enrollTotp } from '../http/totpSteps.js';
import { axeViolations, LOOKS } from './axe.js';

const clientsFile = writeClientsFile(deviceClients);
describe('signing a command line in on the device page', () => {
  const t = useBrowserApp({ OIDC_CLIENTS_FILE: clientsFile, AUTHZ_RETURN_DOMAINS: 'localhost', MFA_REQUIRED: 'false' });
  let nina: HttpClient;
  let secret: string;

  beforeAll(async () => {
    nina = t.app.client();
    expect((await nina.post('/api/accounts', { username: 'nina', password: PASSWORD })).status).toBe(201);
    ({ secret } = await enrollTotp(t.app, nina));
  });

  async function open(locale: string, colorScheme: 'light' | 'dark'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await t.browser.newContext({ locale, colorScheme, bypassCSP: true });
    await context.addCookies([...nina.cookies].map(([name, value]) => ({ name, value, url: t.app.origin })));
    return { context, page: await context.newPage() };
  }

  it('shows the code page in the look, language and theme of the other pages, the code filled in', async () => {
    const seen: Record<string, string> = {};
    for (const [locale, scheme] of LOOKS) {
      const { context, page } = await open(locale, scheme);
      await page.goto(`${t.app.origin}/oidc/device?user_code=BCDF-GHJK`);
      const de = locale === 'de-DE';
      expect(await page.locator('html').getAttribute('lang')).toBe(de ? 'de' : 'en');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(de ? 'Gerät anmelden' : 'Sign in on a device');
      expect(await page.locator('main').textContent()).toContain(de ? 'Sie sind als nina angemeldet.' : 'You are signed in as nina.');
      expect(await page.getByLabel('Code').inputValue()).toBe('BCDF-GHJK');
      expect(await page.getByRole('navigation', { name: de ? 'Sprache' : 'Language' }).getByRole('link').allTextContents()).toEqual(['English', 'Deutsch']);
      expect(await axeViolations(page), `${locale} ${scheme}`).toEqual([]);
      seen[`${locale} ${scheme}`] = await page.locator('main').evaluate((m) => getComputedStyle(m).backgroundColor);
      await context.close();
    }
    expect(seen['en-US light']).not.toBe(seen['en-US dark']);
    expect(seen['de-DE dark']).toBe(seen['en-US dark']);
  });

  it('signs the command line in after the person confirms and enters their authenticator code', async () => {
    const config = await relyingParty(t.app, 'cli');
    const started = await oidc.initiateDeviceAuthorization(config, { scope: 'openid profile' });
    const { context, page } = await open('en-US', 'light');
    await page.goto(started.verification_uri_complete!.replace(/^http:\/\/[^/]+/, t.app.origin));
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in Deploy CLI?');
    expect(await page.locator('main code').textContent()).toBe(started.user_code);
    expect(await axeViolations(page)).toEqual([]);
    t.app.clock.advance(30_000);
    await page.getByRole('button', { name: 'Yes, sign it in' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirm it is you');
    expect(new URL(page.url()).pathname).toBe('/verify');
    await page.getByLabel('Authenticator code').fill(await codeAt(secret, t.app.clock.now()));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Device signed in');
    expect(await page.locator('main').textContent()).toContain('Deploy CLI is signed in.');
    await context.close();

    const tokens = await oidc.pollDeviceAuthorizationGrant(config, started);
    expect(tokens.claims()).toMatchObject({ preferred_username: 'nina', acr: 'aal2', amr: expect.arrayContaining(['otp']) });
  });
});
