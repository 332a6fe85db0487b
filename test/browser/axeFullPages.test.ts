// axe-core on the pages as they look with real amounts of data: the admin console with many
// people (a locked one, one with flagged keys, long hyphenated names, a second page) and the
// settings page with a long activity list of every event kind, in English and German, light and
// dark, on a desktop and on a 390 px phone. (The 403 and consent pages: serverPages.test.ts.)
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { AUDIT_EVENT_KINDS } from '../../server/audit/auditEventKinds.js';
import { useBrowserApp } from '../helpers/browser.js';
import type { HttpClient } from '../helpers/httpClient.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import { aUser } from '../contract/storageContract.js';
import { axeViolations, LOOKS } from './axe.js';
import { horizontalOverflow, PHONE } from './phoneTaps.js';

const SIZES = { desktop: { viewport: { width: 1280, height: 800 } }, phone: PHONE } as const;

async function check(browser: Browser, origin: string, who: HttpClient, path: string, ready: string, look: (typeof LOOKS)[number], size: keyof typeof SIZES) {
  const [locale, colorScheme] = look;
  const context = await browser.newContext({ ...SIZES[size], locale, colorScheme, bypassCSP: true });
  await context.addCookies([...who.cookies].map(([name, value]) => ({ name, value, url: origin })));
  const page = await context.newPage();
  await page.goto(`${origin}${path}`);
  await page.locator(ready).first().waitFor();
  await page.waitForLoadState('networkidle');
  const result = { lang: await page.locator('html').getAttribute('lang'), overflow: await horizontalOverflow(page), violations: await axeViolations(page) };
  await context.close();
  return result;
}

describe('axe-core on full pages', () => {
  const t = useBrowserApp({ ADMIN_USERNAMES: 'root' });

  it('finds nothing on the admin console with many people, in every language, theme and size', async () => {
    const root = t.app.client();
    await signUpWithKey(root, 'root');
    for (let i = 0; i < 40; i++) {
      const name = `night-shift-operator-${String(i).padStart(2, '0')}`;
      await t.storage.users.create(aUser({ username: name, usernameNormalized: name, groups: i % 3 ? ['staff'] : [] }));
    }
    for (const look of LOOKS) {
      for (const size of ['desktop', 'phone'] as const) {
        const seen = await check(t.browser, t.app.origin, root, '/admin', 'tr[data-user]', look, size);
        expect(seen, `${look.join(' ')} ${size}`).toEqual({ lang: look[0].slice(0, 2), overflow: 0, violations: [] });
      }
    }
  }, 240_000);

  it('finds nothing on the settings page with a long activity list of every event kind, in every language, theme and size', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'activity-person');
    const userId = (await c.get<{ user: { id: string } }>('/api/session')).body.user.id;
    const at = t.app.clock.now();
    for (const [i, type] of AUDIT_EVENT_KINDS.entries()) {
      await t.storage.audit.append({ id: `many-${String(i).padStart(3, '0')}`, at: at - i * 60_000, type, outcome: i % 4 ? 'success' : 'failure', userId, ip: '203.0.113.9', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36', requestId: null, details: {} });
    }
    for (const look of LOOKS) {
      for (const size of ['desktop', 'phone'] as const) {
        const seen = await check(t.browser, t.app.origin, c, '/settings', 'table.activity tbody tr', look, size);
        expect(seen, `${look.join(' ')} ${size}`).toEqual({ lang: look[0].slice(0, 2), overflow: 0, violations: [] });
      }
    }
  }, 240_000);
});
