// The settings page's activity list pages back with "Older" through events written in one
// millisecond without skipping or repeating any.
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from '../helpers/browser.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';

describe('activity paging in the browser', () => {
  const t = useBrowserApp();

  it('shows every event once after "Older", even when many share a millisecond', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'alice');
    const userId = (await c.get<{ user: { id: string } }>('/api/session')).body.user.id;
    // More than one page (20) in the same millisecond as the sign-up's own events.
    const at = t.app.clock.now();
    for (let i = 0; i < 25; i++) {
      await t.storage.audit.append({ id: `burst-${String(i).padStart(2, '0')}`, at, type: 'signin.password', outcome: 'failure', userId, ip: '203.0.113.9', userAgent: null, requestId: null, details: {} });
    }
    const total = (await c.get<{ events: unknown[] }>('/api/me/activity?limit=100')).body.events.length;
    expect(total).toBeGreaterThan(25);

    const context = await t.browser.newContext();
    await context.addCookies([...c.cookies].map(([name, value]) => ({ name, value, url: t.app.origin })));
    const page = await context.newPage();
    await page.goto(`${t.app.origin}/settings`);
    const rows = page.locator('table.activity tbody tr');
    await expect.poll(() => rows.count()).toBe(20);
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => rows.count()).toBe(Math.min(total, 40));
    if (total > 40) await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => rows.count()).toBe(total);
    await expect.poll(() => page.getByRole('button', { name: 'Older' }).isHidden()).toBe(true);
    await context.close();
  });
});
