// A person who forgot their password gets back in through the real client: "Forgot password?"
// on the sign-in page, the link from the mail caught by a real SMTP server, a second factor
// they still hold (security key, authenticator app or recovery code), a new password; then the
// new password works, the old one is refused, and the session left open elsewhere is ended.
// Every journey runs in English and in German, with the words taken from the catalogues.
import { execFileSync } from 'node:child_process';
import { IntlMessageFormat } from 'intl-messageformat';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../server/config.js';
import type { MessageKey } from '../../client/src/i18n/i18n.js';
import { tellPageStateOnFailure, useBrowserApp } from '../helpers/browser.js';
import { LANGUAGES } from '../helpers/languages.js';
import { isResetMail, resetLinkIn } from '../helpers/resetFlows.js';
import { useSmtpSink } from '../helpers/smtpSink.js';
import { addVirtualKey, plugInCopy, type VirtualKey } from '../helpers/virtualAuthenticator.js';

type Catalogue = (typeof LANGUAGES)[number]['m'];
type Method = 'webauthn' | 'totp' | 'recovery_code';

const OLD_PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a brand new passphrase';
const METHODS: Method[] = ['webauthn', 'totp', 'recovery_code'];

/** A person and what they hold: the key stays in the browser they signed up in. */
interface Person {
  username: string;
  address: string;
  locale: string;
  m: Catalogue;
  method: Method;
  key?: VirtualKey;
  secret?: string;
  codes: string[];
}

describe('forgot password in the browser', () => {
  const env: Env = {};
  const smtp = useSmtpSink(env);
  const t = useBrowserApp(env);
  let current: Page | undefined;
  beforeEach(tellPageStateOnFailure(() => current));

  const say = (p: Person, key: MessageKey, values: Record<string, string> = {}) => String(new IntlMessageFormat(p.m[key], p.locale).format(values));
  const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
  /** What an authenticator app shows now, by the server's (test) clock: a fresh time step each call. */
  function appCode(secret: string): string {
    t.app.clock.advance(30_000);
    return execFileSync('oathtool', ['--totp', '-b', secret, '-N', `@${Math.floor(t.app.clock.now() / 1000)}`], { encoding: 'utf8' }).trim();
  }

  /** Script errors and CSP violations the page ran into. */
  function watch(page: Page): string[] {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(m.text()));
    return problems;
  }

  /** The page speaks the person's language, in words: no catalogue key, no unfilled placeholder. */
  async function readsWell(page: Page, p: Person) {
    expect(await page.locator('html').getAttribute('lang')).toBe(p.locale.slice(0, 2));
    const text = await page.locator('body').innerText();
    expect(Object.keys(p.m).filter((key) => text.includes(key)), text).toEqual([]);
    expect(text).not.toMatch(/\{\w+\}/);
  }

  /** Signs up in `context`, adds the person's factor, saves the recovery codes and confirms a notice address. */
  async function signUp(context: BrowserContext, page: Page, p: Person) {
    if (p.method !== 'totp') p.key = await addVirtualKey(context, page);
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel(p.m['signup.username']).fill(p.username);
    await page.getByLabel(p.m['signup.password']).fill(OLD_PASSWORD);
    await page.getByRole('button', { name: p.m['signup.submit'] }).click();
    await expect.poll(() => heading(page)).toBe(p.m['settings.title']);
    if (p.method === 'totp') {
      await page.getByRole('button', { name: p.m['totp.add'] }).click();
      p.secret = ((await page.locator('.totp-secret').textContent()) ?? '').replace(/\s/g, '');
      await page.getByLabel(p.m['totp.codeLabel']).fill(appCode(p.secret));
      await page.locator('form.totp-setup').getByRole('button', { name: p.m['totp.confirm'] }).click();
    } else {
      await page.getByRole('button', { name: p.m['keys.add'] }).click();
    }
    await expect.poll(() => page.locator('.recovery-codes li').count()).toBe(10);
    p.codes = await page.locator('.recovery-codes li').allTextContents();
    await page.getByRole('button', { name: p.m['recovery.saved'] }).click();

    const section = page.locator('[data-section="notice-email"]');
    await section.getByLabel(p.m['noticeEmail.address']).fill(p.address);
    await section.getByRole('button', { name: p.m['noticeEmail.submit'] }).click();
    await expect.poll(() => section.locator('[data-address-status]').getAttribute('data-address-status')).toBe('pending');
    await page.goto(smtp.linkIn(await smtp.waitFor(p.address)).href);
    await expect.poll(() => page.locator('[data-confirmed]').getAttribute('data-confirmed')).toBe(p.address);
  }

  /**
   * The second factor, on the reset page or at sign-in: the one the person still holds. A key
   * this browser used last time starts by itself: nothing to click.
   */
  async function proveFactor(page: Page, p: Person, nthCode: number, opts: { keyUsedHere?: boolean } = {}) {
    if (p.method === 'webauthn') {
      if (!opts.keyUsedHere) await page.getByRole('button', { name: p.m['verify.key.button'] }).click();
      return;
    }
    if (p.method === 'totp') {
      await page.getByLabel(p.m['verify.totp.label']).fill(appCode(p.secret!));
    } else {
      // The key is back in the other browser: this one only has the printed codes.
      await page.getByRole('button', { name: p.m['verify.recovery.switch'] }).click();
      await page.getByLabel(p.m['verify.recovery.label']).fill(p.codes[nthCode]!);
    }
    await page.getByRole('button', { name: p.m['common.verify'] }).click();
  }

  async function signIn(page: Page, p: Person, password: string) {
    await page.getByLabel(p.m['signin.username']).fill(p.username);
    await page.getByLabel(p.m['signin.password']).fill(password);
    await page.getByRole('button', { name: p.m['signin.submit'], exact: true }).click();
  }

  const journeys = LANGUAGES.flatMap(({ locale, m }) => METHODS.map((method) => ({ locale, m, method, byAddress: method === 'totp' })));

  it.each(journeys)('lets a person back in with a mailed link and their $method ($locale; asked by address: $byAddress), ending their other session', async ({ locale, m, method, byAddress }) => {
    const username = `${method.replace('_', '')}${locale.slice(0, 2)}`;
    const p: Person = { username, address: `${username}@mail.test`, locale, m, method, codes: [] };

    // The browser they signed up in stays signed in (a laptop left at home).
    const home = await t.browser.newContext({ locale });
    const homePage = await home.newPage();
    const homeProblems = watch(homePage);
    current = homePage;
    await signUp(home, homePage, p);

    // Elsewhere, the password forgotten.
    const away = await t.browser.newContext({ locale });
    const page = await away.newPage();
    const problems = watch(page);
    current = page;
    if (method === 'webauthn') await plugInCopy(p.key!, away, page);
    await page.goto(`${t.app.origin}/signin`);
    await page.getByRole('link', { name: m['signin.forgot'] }).click();
    await expect.poll(() => heading(page)).toBe(m['forgot.title']);
    await readsWell(page, p);
    await page.getByLabel(m['forgot.account']).fill(byAddress ? p.address : username);
    await page.getByRole('button', { name: m['forgot.submit'] }).click();
    await expect.poll(() => page.locator('[data-reset-requested]').textContent()).toBe(m['forgot.sent']);
    await readsWell(page, p);

    const link = resetLinkIn(await smtp.waitFor(p.address, isResetMail));
    expect(link.origin).toBe(t.app.origin);
    await page.goto(link.href);
    await expect.poll(() => heading(page)).toBe(m['reset.title']);
    expect(page.url(), 'the spent token left the address bar').toBe(`${t.app.origin}/reset-password`);
    expect(await page.locator('main').innerText()).toContain(say(p, 'reset.confirm', { username }));
    await readsWell(page, p);
    // A reload at either step goes on where the reset stands (the token is gone from the address).
    await page.reload();
    await expect.poll(() => page.getByText(say(p, 'reset.confirm', { username })).count()).toBe(1);
    await proveFactor(page, p, 0);
    await expect.poll(() => page.getByText(say(p, 'reset.choose', { username })).count()).toBe(1);
    await page.reload();
    await expect.poll(() => page.getByText(say(p, 'reset.choose', { username })).count()).toBe(1);
    await readsWell(page, p);
    await page.getByLabel(m['reset.password']).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: m['reset.submit'] }).click();

    // Signed in, told so on the page and by mail.
    await expect.poll(() => heading(page)).toBe(say(p, 'account.title', { name: username }));
    expect(new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => page.locator('[data-notice="password.reset"]').textContent()).toContain(m['notice.password.reset']);
    if (method === 'recovery_code') await expect.poll(() => page.locator('[data-notice="recovery_code.used_to_reset"]').textContent()).toContain(m['notice.recovery_code.usedToReset']);
    await readsWell(page, p);
    // Mailed in the language of their pages, in the words the pages use.
    await smtp.waitFor(p.address, (mail) => mail.text.includes(m['notice.password.reset']));

    // The session left open at home is over.
    current = homePage;
    await homePage.goto(`${t.app.origin}/`);
    await homePage.waitForURL('**/signin');
    // The mail's link, opened again, says what became of it and where to get another.
    await homePage.goto(link.href);
    await expect.poll(() => heading(homePage)).toBe(m['reset.unusable']);
    await expect.poll(() => homePage.getByRole('alert').textContent()).toBe(m['reset.linkSpent']);
    await expect.poll(() => homePage.getByRole('link', { name: m['reset.askAgain'] }).count()).toBe(1);
    await readsWell(homePage, p);

    // The old password is refused; the new one (and the factor) lets them in.
    current = page;
    await page.getByRole('button', { name: m['account.signOut'] }).click();
    await page.waitForURL('**/signin');
    await signIn(page, p, OLD_PASSWORD);
    await expect.poll(() => page.getByRole('alert').textContent()).toBe(m['error.invalid_credentials']);
    // The server's answer proves the second step was asked: with the key used here before, the
    // verify page starts the key prompt itself and the virtual key answers at once, so the page
    // can be gone before a poll of its heading sees it.
    const passwordStep = page.waitForResponse((r) => r.url() === `${t.app.origin}/api/session` && r.request().method() === 'POST' && r.ok());
    await signIn(page, p, NEW_PASSWORD);
    expect(await (await passwordStep).json()).toMatchObject({ status: 'mfa_required' });
    if (method !== 'webauthn') await expect.poll(() => heading(page)).toBe(m['verify.title']);
    await proveFactor(page, p, 1, { keyUsedHere: true }); // the key proved the reset in this browser
    await expect.poll(() => heading(page)).toBe(say(p, 'account.title', { name: username }));
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('authenticated');

    expect(problems, 'no script errors or CSP violations').toEqual([]);
    expect(homeProblems, 'no script errors or CSP violations').toEqual([]);
    await away.close();
    await home.close();
  });
});
