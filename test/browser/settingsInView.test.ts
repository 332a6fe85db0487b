// After each settings action the page is drawn again; the confirmation must appear in the
// section that asked, hold the focus and be on screen (not a jump to the top, not silence),
// on a phone where the page is several screens tall.
import { describe, expect, it } from 'vitest';
import type { Env } from '../../server/config.js';
import { en } from '../../client/src/i18n/en.js';
import { useBrowserApp } from '../helpers/browser.js';
import { useSmtpSink } from '../helpers/smtpSink.js';
import { addVirtualKey } from '../helpers/virtualAuthenticator.js';
import { PHONE, whollyInView } from './phoneTaps.js';

describe('settings keep the confirmation in view', () => {
  const env: Env = {};
  useSmtpSink(env);
  const t = useBrowserApp(env);

  it('focuses each action’s message in its own section, on screen: keys added, renamed and removed, password, notice address', async () => {
    const context = await t.browser.newContext({ ...PHONE, locale: 'en-US' });
    const page = await context.newPage();
    const first = await addVirtualKey(context, page);

    /** The confirmation of the last action: its words, where it is, whether it has focus and is on screen. */
    const confirmation = async () => {
      const done = page.locator('[data-done]');
      await done.waitFor();
      return done.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return {
          text: el.textContent,
          section: el.closest('[data-section]')?.getAttribute('data-section'),
          focused: document.activeElement === el,
          inView: r.top >= 0 && r.bottom <= window.innerHeight,
        };
      });
    };
    const expectConfirmation = async (section: string, text: string | RegExp) => {
      // The page is drawn anew after each action: wait for this action's words, not the last one's.
      await expect.poll(() => page.locator('[data-done]').textContent().catch(() => null)).toMatch(text);
      const seen = await confirmation();
      expect(seen).toEqual({ text: typeof text === 'string' ? text : expect.stringMatching(text), section, focused: true, inView: true });
      expect(await page.evaluate(() => window.scrollY), 'the page is scrolled down to the message, not at the top').toBeGreaterThan(0);
    };

    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel('Username').fill('pat');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: en['keys.add'] }).click();
    await page.getByRole('button', { name: en['recovery.saved'] }).click();
    await expectConfirmation('keys', /^Added “.+”\.$/);

    // A second key on a second virtual authenticator (the first one unplugged).
    await first.remove();
    t.app.clock.advance(1000);
    await addVirtualKey(context, page, first.cdp);
    await page.getByLabel(en['keys.nameLabel']).fill('Backup key');
    await page.getByRole('button', { name: en['keys.add'] }).click();
    await expectConfirmation('keys', 'Added “Backup key”.');

    await page.locator('li.key', { hasText: 'Backup key' }).getByRole('button', { name: en['common.rename'] }).click();
    // The rename row: Save and Cancel side by side at their own width, Remove not stretched.
    const row = page.locator('li.key', { hasText: 'Backup key' });
    const box = async (name: string) => (await row.getByRole('button', { name, exact: true }).boundingBox())!;
    const [save, cancel, remove, form] = [await box(en['common.save']), await box(en['common.cancel']), await box(en['common.remove']), (await row.locator('form.rename').boundingBox())!];
    expect(save.width).toBeLessThan(form.width / 2);
    expect(Math.abs(save.y - cancel.y)).toBeLessThan(2);
    expect(remove.height).toBeLessThan(save.height * 1.5);
    await page.getByLabel('New name for Backup key').fill('Spare key');
    await page.getByRole('button', { name: en['common.save'] }).click();
    await expectConfirmation('keys', 'Renamed to “Spare key”.');

    await page.locator('li.key').first().getByRole('button', { name: en['common.remove'] }).click();
    await page.getByRole('dialog').getByRole('button', { name: en['common.remove'] }).click();
    await expectConfirmation('keys', /^Removed “.+”\.$/);
    expect(await page.locator('.key-name').allTextContents()).toEqual(['Spare key']);

    await page.getByLabel(en['password.current']).fill('correct horse battery staple');
    await page.getByLabel(en['password.new']).fill('another horse battery staple');
    await page.getByRole('button', { name: en['password.submit'] }).click();
    await expectConfirmation('password', en['password.changed']);

    const notices = page.locator('[data-section="notice-email"]');
    await notices.getByLabel(en['noticeEmail.address']).fill('pat@mail.test');
    await notices.getByRole('button', { name: en['noticeEmail.submit'] }).click();
    await expectConfirmation('notice-email', 'Confirmation link sent to pat@mail.test.');

    // "Remove address" sits under the line naming the address, above the form for a new one.
    const removeBox = (await notices.getByRole('button', { name: en['noticeEmail.remove'] }).boundingBox())!;
    expect(removeBox.y).toBeGreaterThan((await notices.locator('[data-address-status]').boundingBox())!.y);
    expect(removeBox.y).toBeLessThan((await notices.getByRole('button', { name: en['noticeEmail.submit'] }).boundingBox())!.y);
    await notices.getByRole('button', { name: en['noticeEmail.remove'] }).click();
    await expectConfirmation('notice-email', en['noticeEmail.removed']);
    expect(await whollyInView(page, '[data-done]')).toBe(true);
    await context.close();
  }, 120_000);
});
