// Every page of the client, in the order one person meets them: each step brings the page
// into view and waits until it has settled; the runner then takes the picture.
import type { BrowserContext, Page } from 'playwright-core';
import { PASSWORD, PERSON, type Stage } from './stage.js';

export interface Scene {
  stage: Stage;
  context: BrowserContext;
  page: Page;
  /** Carried from one step to a later one. */
  totpKey: string;
  enrolmentLink: string;
}

export interface Shot {
  /** The file name: docs/screenshots/<name>-<theme>.png. */
  name: string;
  /** What the picture shows (docs/screenshots/README.md). */
  what: string;
  fullPage?: boolean;
  /** Another screen than the desktop's 1200 × 800 (a phone), for this picture only. */
  viewport?: { width: number; height: number };
  show(s: Scene): Promise<void>;
}

const SECOND_DEVICE = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0';

const heading = (page: Page, text: string) => page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();

async function enterPassword(page: Page): Promise<void> {
  await page.getByLabel('Username').fill(PERSON.username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** A second signed-in session, on another device, for the sessions list. */
async function signInElsewhere(s: Scene): Promise<void> {
  const c = s.stage.app.client();
  c.headers['User-Agent'] = SECOND_DEVICE;
  await c.post('/api/session', { username: PERSON.username, password: PASSWORD });
  s.stage.app.clock.advance(30_000); // the set-up's code is spent: the next time step's
  const verified = await c.post('/api/totp/verify', { code: await s.stage.totpCode(s.totpKey) });
  if (verified.status !== 200) throw new Error(`second device: ${JSON.stringify(verified.body)}`);
}

export const journey: Shot[] = [
  {
    name: 'sign-in',
    what: 'Sign in: username and password, or a passkey',
    async show({ page, stage }) {
      await page.goto(`${stage.app.origin}/signin`);
      await heading(page, 'Sign in');
    },
  },
  {
    name: 'sign-up',
    what: 'Create an account',
    async show({ page, stage }) {
      await page.goto(`${stage.app.origin}/signup`);
      await heading(page, 'Create your account');
    },
  },
  {
    name: 'not-found',
    what: 'An address that is no page',
    async show({ page, stage }) {
      await page.goto(`${stage.app.origin}/no-such-page`);
      await heading(page, 'Page not found');
    },
  },
  {
    name: 'settings-first-factor',
    what: 'A new account is asked to set up its first second factor',
    fullPage: true,
    async show({ page, stage }) {
      await page.goto(`${stage.app.origin}/signup`);
      await page.getByLabel('Username').fill(PERSON.username);
      await page.getByLabel('Your name (optional)').fill(PERSON.displayName);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await heading(page, 'Security settings');
      await page.locator('[data-status="enroll_required"]').waitFor();
    },
  },
  {
    name: 'recovery-codes',
    what: 'Recovery codes, shown once when the first second factor is added',
    async show({ page }) {
      await page.getByLabel('Name for the new key (optional)').fill('Desk key');
      await page.getByRole('button', { name: 'Add a security key' }).click();
      await heading(page, 'Save your recovery codes');
    },
  },
  {
    name: 'authenticator-setup',
    what: 'Adding an authenticator app: QR code and key',
    fullPage: true,
    async show(s) {
      await s.page.getByRole('button', { name: 'I have saved them' }).click();
      await heading(s.page, 'Security settings');
      await s.page.getByLabel('Name for the new app (optional)').fill('Phone');
      await s.page.getByRole('button', { name: 'Add an authenticator app' }).click();
      await s.page.getByRole('img', { name: /QR code/ }).waitFor();
      s.totpKey = (await s.page.locator('.totp-secret').textContent()) ?? '';
    },
  },
  {
    name: 'settings',
    what: 'Security settings: keys, authenticator apps, recovery codes, password, notice e-mail, sessions, activity',
    fullPage: true,
    async show(s) {
      const { page, stage } = s;
      await page.getByLabel('Code shown by the app').fill(await stage.totpCode(s.totpKey));
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await page.locator('[data-section=authenticators] li', { hasText: 'Phone' }).waitFor();
      const email = page.locator('[data-section="notice-email"]');
      await email.getByLabel('E-mail address').fill(PERSON.email);
      await email.getByRole('button', { name: 'Send confirmation link' }).click();
      await email.locator('[data-address-status="pending"]').waitFor();
      await signInElsewhere(s);
      await page.reload();
      await page.locator('[data-session]').nth(1).waitFor();
      await page.locator('table.activity').waitFor();
    },
  },
  {
    name: 'confirm-dialog',
    what: 'The in-page confirmation before removing something',
    async show({ page }) {
      await page.locator('[data-section=authenticators] li', { hasText: 'Phone' }).getByRole('button', { name: 'Remove' }).click();
      await page.getByRole('dialog').waitFor();
    },
  },
  {
    name: 'account',
    what: 'The account page, with security notices',
    async show({ page, stage }) {
      await page.keyboard.press('Escape');
      await page.goto(`${stage.app.origin}/`);
      await heading(page, `Hello, ${PERSON.displayName}`);
      await page.locator('[data-notice]').first().waitFor();
    },
  },
  {
    name: 'admin',
    what: 'Administration: find users, reset, unlock, sign out, groups',
    fullPage: true,
    async show({ page }) {
      await page.getByRole('link', { name: 'Administration' }).click();
      await heading(page, 'Administration');
      await page.locator('tr[data-user="linus"]').waitFor();
    },
  },
  {
    name: 'admin-links',
    what: 'Administration: an enrolment link for a new user, and an invitation',
    fullPage: true,
    async show(s) {
      const { page } = s;
      await page.locator('#add-username').fill('edsger');
      await page.locator('#add-groups').fill('staff');
      await page.locator('#add-user').getByRole('button', { name: 'Add user' }).click();
      await page.locator('#invite-email').fill('new.colleague@example.org');
      await page.getByRole('button', { name: 'Create invitation' }).click();
      s.enrolmentLink = await page.locator('.access-form:has(#add-user) .access-link').inputValue();
      await page.locator('.access-form:has(#invite) .access-link').waitFor();
    },
  },
  {
    name: 'admin-phone',
    what: 'Administration on a 390 px phone: each person a card, with the answer to its buttons under it',
    fullPage: true,
    viewport: { width: 390, height: 844 },
    async show({ page }) {
      await page.reload();
      await heading(page, 'Administration');
      const grace = page.locator('tr[data-user="grace"]');
      await grace.getByRole('button', { name: 'Sign out everywhere' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Sign out everywhere' }).click();
      await page.locator('tr[data-answers-for="grace"] [role=status]').getByText('done for grace').waitFor();
    },
  },
  {
    name: 'no-access',
    what: 'A protected app this account may not use (forward-auth, 403)',
    async show({ page, stage }) {
      await page.setExtraHTTPHeaders({ 'X-Forwarded-Host': 'reports.example.com:8443', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Uri': '/quarterly' });
      try {
        await page.goto(`${stage.app.origin}/api/authz`);
      } finally {
        await page.setExtraHTTPHeaders({});
      }
      await page.getByRole('heading', { level: 1 }).getByText('reports.example.com:8443').waitFor();
    },
  },
  {
    name: 'oidc-consent',
    what: 'An application that is not first-party asks for consent',
    async show({ page, stage }) {
      await page.goto(stage.consentUrl);
      await heading(page, 'Allow Team Wiki?');
    },
  },
  {
    name: 'confirm-email',
    what: 'The link mailed to a new notice address, opened',
    async show({ page, stage }) {
      await page.goto(stage.smtp.linkIn(await stage.smtp.waitFor(PERSON.email)).href);
      await heading(page, 'Address confirmed');
    },
  },
  {
    name: 'signed-out',
    what: 'The session ended in another tab or device',
    async show({ page, context, stage }) {
      await page.goto(`${stage.app.origin}/settings`);
      await heading(page, 'Security settings');
      const otherTab = await context.newPage();
      await otherTab.goto(`${stage.app.origin}/`);
      await otherTab.getByRole('button', { name: 'Sign out' }).click();
      await otherTab.waitForURL('**/signin');
      await otherTab.close();
      await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
      await heading(page, 'You were signed out');
    },
  },
  {
    name: 'verify-security-key',
    what: 'Second step: tap the security key',
    async show({ page, stage }) {
      await page.goto(`${stage.app.origin}/signin`);
      await enterPassword(page);
      await heading(page, 'Confirm it is you');
      await page.locator('[data-method="webauthn"]').waitFor();
    },
  },
  {
    name: 'verify-authenticator-code',
    what: 'Second step: a code from the authenticator app',
    async show({ page }) {
      await page.getByRole('button', { name: 'Use an authenticator code instead' }).click();
      await page.getByLabel('Authenticator code').waitFor();
    },
  },
  {
    name: 'verify-recovery-code',
    what: 'Second step: a recovery code',
    async show({ page }) {
      await page.getByRole('button', { name: 'Use a recovery code' }).click();
      await page.getByLabel('Recovery code').waitFor();
    },
  },
  {
    name: 'sign-in-timed-out',
    what: 'The second step waited too long',
    async show({ page, stage }) {
      stage.app.clock.advance(301_000);
      await page.reload();
      await heading(page, 'Your sign-in timed out');
    },
  },
  {
    name: 'enrol',
    what: 'The enrolment link of an account an administrator added',
    async show({ page, enrolmentLink }) {
      await page.goto(enrolmentLink);
      await heading(page, 'Welcome, edsger');
    },
  },
];
