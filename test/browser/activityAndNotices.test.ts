// What the person reads about their account, in English and German: notices grouped (two
// recovery codes used are one line saying so), a new set of codes noticed, activity naming
// which factor was added, telling a confirmation of a change from a sign-in and a replaced set
// of recovery codes from the first.
import { describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import type { MessageKey } from '../../client/src/i18n/i18n.js';
import { useBrowserApp } from '../helpers/browser.js';
import { LANGUAGES } from '../helpers/languages.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { registerKey } from '../helpers/webauthnFlows.js';
import { passwordStep, signUpWithTotp } from '../http/totpSteps.js';


describe.each(LANGUAGES)('activity and notices in the browser ($locale)', ({ locale, m }) => {
  const t = useBrowserApp();
  const say = (key: MessageKey, values: Record<string, string | number> = {}) => String(new IntlMessageFormat(m[key], locale).format(values));

  it('groups notices, tells of new recovery codes, and names the factor and the step-ups in the activity', async () => {
    const { c, recoveryCodes } = await signUpWithTotp(t.app, 'erin');
    expect((await c.post('/api/recovery-codes/verify', { code: recoveryCodes![0] })).status).toBe(200); // a step-up
    let signedIn = c;
    for (const code of recoveryCodes!.slice(1, 3)) {
      signedIn = await passwordStep(t.app, 'erin');
      expect((await signedIn.post('/api/recovery-codes/verify', { code })).status).toBe(200);
    }
    expect((await registerKey(signedIn, new SoftAuthenticator(t.app.origin))).status).toBe(201);
    expect((await signedIn.post('/api/recovery-codes')).status).toBe(201);

    const context = await t.browser.newContext({ locale });
    await context.addCookies([...signedIn.cookies].map(([name, value]) => ({ name, value, url: t.app.origin })));
    const page = await context.newPage();
    await page.goto(`${t.app.origin}/`);
    const notices = page.locator('[data-notice]');
    await expect.poll(() => notices.locator('span:first-child').allTextContents()).toEqual([
      say('notice.recovery_codes.regenerated'),
      say('notice.factor.added', { factor: 'webauthn' }),
      say('notice.recovery_code.used'),
      say('notice.recovery_code.usedToConfirm'),
      say('notice.factor.added', { factor: 'totp' }),
    ]);
    expect(await notices.nth(2).getAttribute('data-count')).toBe('2');
    expect(await notices.nth(2).textContent()).toContain(say('notices.times', { count: 2, when: '' }).trim());

    await page.goto(`${t.app.origin}/settings`);
    const what = page.locator('table.activity tbody tr td:nth-child(2)');
    await expect.poll(() => what.count()).toBeGreaterThan(5);
    const labels = await what.allTextContents();
    expect(labels).toEqual(expect.arrayContaining([
      say('activity.factor.added', { factor: 'webauthn' }),
      say('activity.factor.added', { factor: 'totp' }),
      say('activity.stepUp.recovery_code'),
      say('activity.signin.recovery_code'),
    ]));
    // The set made with the first factor is "issued"; the one made later replaced it.
    expect(labels.filter((l) => l === say('activity.recovery_codes.replaced'))).toHaveLength(1);
    expect(labels.filter((l) => l === say('activity.recovery_codes.issued'))).toHaveLength(1);
    expect(labels.filter((l) => l === say('activity.signin.recovery_code'))).toHaveLength(2);
    expect(labels.filter((l) => l === say('activity.stepUp.recovery_code'))).toHaveLength(1);
    await context.close();
  });
});
