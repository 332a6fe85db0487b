// "E-mail for security notices" through the real client: set an address in settings, read
// the confirmation mail from a real SMTP server, open its link, and see it confirmed.
import { describe, expect, it } from 'vitest';
import type { Env } from '../../server/config.js';
import { useBrowserApp } from '../helpers/browser.js';
import { addVirtualKey } from '../helpers/virtualAuthenticator.js';
import { useSmtpSink } from '../helpers/smtpSink.js';
import { de } from '../../client/src/i18n/de.js';

describe('notice e-mail address in the browser', () => {
  const env: Env = {};
  const smtp = useSmtpSink(env);
  const t = useBrowserApp(env);

  it('sets an address, confirms it by the mailed link, and shows it confirmed', async () => {
    const context = await t.browser.newContext();
    const page = await context.newPage();
    await addVirtualKey(context, page);
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel('Username').fill('pat');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: 'Add a security key' }).click();
    await page.getByRole('button', { name: 'I have saved them' }).click();

    const section = page.locator('[data-section="notice-email"]');
    await expect.poll(() => section.locator('[data-address-status]').getAttribute('data-address-status')).toBe('none');
    await section.getByLabel('E-mail address').fill('pat@mail.test');
    await section.getByRole('button', { name: 'Send confirmation link' }).click();
    await expect.poll(() => section.locator('[data-address-status]').getAttribute('data-address-status')).toBe('pending');
    expect(await section.textContent()).toContain('pat@mail.test');

    const link = smtp.linkIn(await smtp.waitFor('pat@mail.test'));
    await page.goto(link.href);
    await expect.poll(() => page.locator('[data-confirmed]').getAttribute('data-confirmed')).toBe('pat@mail.test');
    expect(page.url()).toBe(`${t.app.origin}/confirm-email`); // the spent token left the address bar

    await page.getByRole('link', { name: 'Go to your security settings' }).click();
    await expect.poll(() => section.locator('[data-address-status]').getAttribute('data-address-status')).toBe('confirmed');
    expect(await section.textContent()).toContain('pat@mail.test');

    // The link is spent: opening it again says so instead of confirming twice.
    await page.goto(link.href);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('expired or was already used');
    await context.close();
  });

  it('mails a German browser in German, and in English once the pages are switched to English', async () => {
    const context = await t.browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    await addVirtualKey(context, page);
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel(de['signup.username']).fill('uta');
    await page.getByLabel(de['signup.password']).fill('correct horse battery staple');
    await page.getByRole('button', { name: de['signup.submit'] }).click();
    await page.getByRole('button', { name: de['keys.add'] }).click();
    await page.getByRole('button', { name: de['recovery.saved'] }).click();

    const section = page.locator('[data-section="notice-email"]');
    const status = () => section.locator('[data-address-status]').getAttribute('data-address-status');
    await expect.poll(status).toBe('none');
    await section.getByLabel(de['noticeEmail.address']).fill('uta@mail.test');
    await section.getByRole('button', { name: de['noticeEmail.submit'] }).click();
    await expect.poll(status).toBe('pending');
    const german = await smtp.waitFor('uta@mail.test');
    expect(german.subject).toBe('Keyward: Bestätigen Sie Ihre Adresse für Sicherheitshinweise');

    await page.getByRole('combobox', { name: de['app.language'] }).selectOption('en');
    // An address is set now (pending): the field asks for a new one.
    await section.getByLabel('New address').fill('uta@mail.example');
    await section.getByRole('button', { name: 'Send confirmation link' }).click();
    const english = await smtp.waitFor('uta@mail.example');
    expect(english.subject).toBe('Keyward: confirm your address for security notices');
    expect(english.text).toContain('Hello uta,');
    await context.close();
  });
});
