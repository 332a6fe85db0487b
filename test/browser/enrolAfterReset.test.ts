// After an administrator removed a person's second factors (and password), the old password
// gets them nowhere; the link the administrator hands over does, and the enrolment screen it
// leads to says why, in their language (issue 16, item 5; issue 24, item 2).
import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowserApp } from '../helpers/browser.js';
import { PASSWORD } from '../helpers/appFixture.js';
import type { HttpClient } from '../helpers/httpClient.js';
import { signUpWithTotp } from '../http/totpSteps.js';

describe('the enrolment screen after an administrator reset', () => {
  const t = useBrowserApp({ ADMIN_USERNAMES: 'root' });
  let root: HttpClient;

  beforeAll(async () => {
    root = (await signUpWithTotp(t.app, 'root')).c;
  });

  it.each([
    { locale: 'en-GB', username: 'bob', labels: ['Username', 'Password', 'Sign in', 'Choose a password', 'Set password'], refused: 'do not match', reason: 'An administrator removed your security keys and authenticator apps' },
    { locale: 'de-DE', username: 'bernd', labels: ['Benutzername', 'Passwort', 'Anmelden', 'Passwort wählen', 'Passwort festlegen'], refused: 'passen nicht zusammen', reason: 'Die Verwaltung hat Ihre Sicherheitsschlüssel und Authenticator-Apps entfernt' },
  ])('lets $username ($locale) back in only with the handed-over link, and says why', async ({ locale, username, labels: [user, password, submit, choose, set], refused, reason }) => {
    await signUpWithTotp(t.app, username);
    const id = (await t.storage.users.findByUsername(username))!.id;
    const reset = await root.post<{ url: string }>(`/api/admin/users/${id}/reset-mfa`, {});
    expect(reset.status).toBe(200);

    const context = await t.browser.newContext({ locale });
    const page = await context.newPage();
    await page.goto(`${t.app.origin}/signin`);
    await page.getByLabel(user!).fill(username);
    await page.getByLabel(password!).fill(PASSWORD);
    await page.getByRole('button', { name: submit, exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain(refused);
    await page.goto(reset.body.url.replace(/^https?:\/\/[^/]+/, t.app.origin));
    await page.getByLabel(choose!).fill('a fresh passphrase now');
    await page.getByRole('button', { name: set, exact: true }).click();
    await page.waitForURL('**/settings');
    await expect.poll(() => page.locator('[data-status="enroll_required"]').textContent()).toContain(reason);
    await context.close();
  });

  it('tells a new account only to finish setting up, not that anything was removed', async () => {
    const context = await t.browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel('Username').fill('carla');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.locator('[data-status="enroll_required"]').textContent()).toBe('Add a security key or an authenticator app to finish setting up your account.');
    await context.close();
  });
});
