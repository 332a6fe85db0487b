// Real taps on a phone-sized page: is the control under a finger at its position the control
// itself, or something drawn over it (or nothing, because it lies outside the screen)?
import type { Page } from 'playwright-core';

export const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 } as const;

export const CONTROLS = 'main :is(button, a[href], input, textarea, select, summary):not([hidden], [type=hidden])';

/** Width of the page beyond the screen, in CSS pixels (0: nothing to scroll sideways). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth);
}

/**
 * Taps the centre of every visible control with the touchscreen and returns those the tap did
 * not reach, each with what it hit instead. While it runs, a click is recorded and swallowed
 * (nothing is submitted or opened), so every control can be tried on one page.
 */
export async function controlsMissedByTap(page: Page, selector = CONTROLS): Promise<string[]> {
  await page.evaluate(() => {
    const w = window as unknown as { tapped: Element | null; swallow: (e: Event) => void };
    w.tapped = null;
    w.swallow = (e: Event) => {
      w.tapped = e.target as Element;
      e.preventDefault();
      e.stopImmediatePropagation();
    };
    window.addEventListener('click', w.swallow, true);
  });
  const controls = page.locator(selector);
  const missed: string[] = [];
  for (let i = 0; i < (await controls.count()); i++) {
    const control = controls.nth(i);
    if (!(await control.isVisible())) continue;
    await control.scrollIntoViewIfNeeded();
    const box = await control.boundingBox();
    const name = await control.evaluate((el) => `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || (el as HTMLInputElement).labels?.[0]?.textContent || '').trim().slice(0, 40)}"`);
    if (!box) {
      missed.push(`${name}: no box`);
      continue;
    }
    await page.evaluate(() => ((window as unknown as { tapped: Element | null }).tapped = null));
    await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
    const hit = await control.evaluate((el) => {
      const tapped = (window as unknown as { tapped: Element | null }).tapped;
      return tapped && (el === tapped || el.contains(tapped) || (el as HTMLInputElement).labels?.[0]?.contains(tapped)) ? null : tapped ? tapped.outerHTML.slice(0, 80) : 'nothing';
    });
    if (hit) missed.push(`${name} at ${Math.round(box.x)},${Math.round(box.y)} (${Math.round(box.width)}×${Math.round(box.height)}): the tap reached ${hit}`);
  }
  await page.evaluate(() => window.removeEventListener('click', (window as unknown as { swallow: (e: Event) => void }).swallow, true));
  return missed;
}

/** Whether the element lies wholly inside the screen as it is scrolled now. */
export function whollyInView(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight;
  });
}
