// Dates follow the browser's region within the page's language: a British browser reads
// "6 Dec 2026, 14:05", an American one "Dec 6, 2026, 2:05 PM", a German one "06.12.2026, 14:05".
import { describe, expect, it } from 'vitest';
import { en } from '../../client/src/i18n/en.js';
import { de } from '../../client/src/i18n/de.js';
import { useBrowserApp } from '../helpers/browser.js';
import { addVirtualKey } from '../helpers/virtualAuthenticator.js';

const REGIONS = [
  { locale: 'en-GB', m: en, form: /added \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}/ },
  { locale: 'en-US', m: en, form: /added [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s?[AP]M/ },
  { locale: 'de-DE', m: de, form: /\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/ },
];

describe('dates in the browser’s region', () => {
  const t = useBrowserApp();

  it.each(REGIONS)('writes the date a key was added the $locale way', async ({ locale, m, form }) => {
    const context = await t.browser.newContext({ locale });
    const page = await context.newPage();
    await addVirtualKey(context, page);
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel(m['signup.username']).fill(`dates${locale.replace('-', '').toLowerCase()}`);
    await page.getByLabel(m['signup.password']).fill('correct horse battery staple');
    await page.getByRole('button', { name: m['signup.submit'] }).click();
    await page.getByRole('button', { name: m['keys.add'] }).click();
    await page.getByRole('button', { name: m['recovery.saved'] }).click();
    const hint = page.locator('li.key .hint').first();
    await hint.waitFor();
    expect(await hint.textContent()).toMatch(form);
    await context.close();
  });
});
