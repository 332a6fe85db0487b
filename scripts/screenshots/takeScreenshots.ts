// One PNG per page per theme: docs/screenshots/<page>-<theme>.png.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { launchBrowser } from '../../test/helpers/browser.js';
import { addVirtualKey } from '../../test/helpers/virtualAuthenticator.js';
import { journey, type Scene } from './journey.js';
import { startStage } from './stage.js';
import { indexPage } from './indexPage.js';

export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
/** Every page the screenshots show, in journey order. */
export const PAGES = journey.map((s) => s.name);
export const DEFAULT_DIR = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

export const fileName = (page: string, theme: Theme) => `${page}-${theme}.png`;
/** The README beside the pictures, listing all of them in both themes. */
export const INDEX = 'README.md';
export const indexText = (themes: readonly Theme[] = THEMES) => indexPage(journey, themes, (p, t) => fileName(p, t as Theme));

const DESKTOP = { width: 1200, height: 800 };

// A fixed desktop browser: the sessions list names it, and it must not change with Chromium.
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

async function shootTheme(browser: Browser, theme: Theme, dir: string, log: (line: string) => void): Promise<string[]> {
  // A fresh world per theme: both themes show the same data, drawn from the same seed.
  const stage = await startStage();
  const context = await browser.newContext({
    colorScheme: theme,
    locale: 'en-GB',
    timezoneId: 'UTC',
    viewport: DESKTOP,
    userAgent: USER_AGENT,
    reducedMotion: 'reduce',
  });
  const written: string[] = [];
  try {
    const page = await context.newPage();
    await addVirtualKey(context, page);
    const scene: Scene = { stage, context, page, totpKey: '', enrolmentLink: '' };
    for (const shot of journey) {
      await page.setViewportSize(shot.viewport ?? DESKTOP);
      await shot.show(scene);
      // Fonts and images in, and no caret blinking into the picture.
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await page.mouse.move(0, 0); // no hover state left by the last click
      const path = join(dir, fileName(shot.name, theme));
      const png = await page.screenshot({ fullPage: shot.fullPage ?? false, animations: 'disabled', caret: 'hide' });
      // A palette of at most 256 colours: a third of the bytes, no difference a reader sees in flat UI.
      await sharp(png).png({ palette: true, effort: 10, compressionLevel: 9 }).toFile(path);
      written.push(path);
      log(`${theme} ${shot.name}`);
    }
  } finally {
    await context.close();
    await stage.close();
  }
  return written;
}

/** Takes every page in each theme into `dir` (docs/screenshots/ by default); returns the files. */
export async function takeScreenshots(opts: { dir?: string; themes?: readonly Theme[]; log?: (line: string) => void } = {}): Promise<string[]> {
  const dir = opts.dir ?? DEFAULT_DIR;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, INDEX), indexText(opts.themes));
  const browser = await launchBrowser();
  try {
    const written: string[] = [];
    for (const theme of opts.themes ?? THEMES) written.push(...(await shootTheme(browser, theme, dir, opts.log ?? (() => undefined))));
    return written;
  } finally {
    await browser.close();
  }
}
