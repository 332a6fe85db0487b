// `npm run screenshots` keeps working, and docs/screenshots/ keeps up with it: every page of the
// script's list is taken (one theme here, to keep the run short), and the committed pictures are
// exactly that list in both themes, so a page added without regenerating them fails.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DIR, fileName, INDEX, indexText, PAGES, takeScreenshots, THEMES } from '../../scripts/screenshots/takeScreenshots.js';
import { journey } from '../../scripts/screenshots/journey.js';

describe('the screenshots of every page', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-screenshots-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes a PNG of every page in the list, desktop-sized unless the page is shown on a phone', { timeout: 300_000 }, async () => {
    const written = await takeScreenshots({ dir, themes: ['dark'] });
    expect(written.map((p) => p.slice(dir.length + 1))).toEqual(PAGES.map((p) => fileName(p, 'dark')));
    expect(readdirSync(dir).sort()).toEqual([INDEX, ...PAGES.map((p) => fileName(p, 'dark'))].sort());
    for (const shot of journey) {
      const meta = await sharp(join(dir, fileName(shot.name, 'dark'))).metadata();
      const size = shot.viewport ?? { width: 1200, height: 800 };
      expect({ page: shot.name, format: meta.format, width: meta.width }).toEqual({ page: shot.name, format: 'png', width: size.width });
      expect(meta.height, shot.name).toBeGreaterThanOrEqual(size.height);
    }
    // The admin console and the no-access page are among them.
    expect(PAGES).toEqual(expect.arrayContaining(['admin', 'admin-phone', 'no-access']));
  });

  it('has docs/screenshots/ hold exactly every page in both themes, each small enough to commit', () => {
    const committed = readdirSync(DEFAULT_DIR).filter((f) => f.endsWith('.png')).sort();
    expect(committed).toEqual(PAGES.flatMap((p) => THEMES.map((t) => fileName(p, t))).sort());
    for (const f of committed) expect(statSync(join(DEFAULT_DIR, f)).size, f).toBeLessThan(150_000);
    // The index beside them is the one the command writes now.
    expect(readFileSync(join(DEFAULT_DIR, INDEX), 'utf8')).toBe(indexText());
  });

  it('names every page once', () => {
    expect(new Set(PAGES).size).toBe(PAGES.length);
    for (const p of PAGES) expect(p).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});
