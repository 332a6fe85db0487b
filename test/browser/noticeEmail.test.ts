// "E-mail for security notices" through the real client: set an address in settings, read
// the confirmation mail from a real SMTP server, open its link, and see it confirmed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../../server/config.js';
import { useBrowserApp } from '../helpers/browser.js';
import { addVirtualKey } from '../helpers/virtualAuthenticator.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtpSink.js';

describe('notice e-mail address in the browser', () => {
  const env: Env = {};
  let smtp: SmtpSink;
  // Registered before the app's own hook, so the app starts with this mail server.
  beforeAll(async () => {
    smtp = await startSmtpSink();
    env['SMTP_URL'] = smtp.url;
  });
  afterAll(() => smtp.close());
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
});
