// Debian's Chromium driven by playwright-core (never a downloaded browser).
import { existsSync } from 'node:fs';
import type { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Env } from '../../server/config.js';
import type { Storage } from '../../server/storage/port.js';
import { embeddedFactory } from './storageFactories.js';
import { startTestApp, type TestApp } from './testApp.js';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const CLIENT_DIR = join(import.meta.dirname, '..', '..', 'dist', 'client');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with 'apt-get install -y chromium' (npm test does).`);
  }
  if (!existsSync(join(CLIENT_DIR, 'index.html'))) {
    throw new Error(`The client is not built (${CLIENT_DIR}): run 'npm run build:client' (npm test does).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface BrowserApp {
  app: TestApp;
  browser: Browser;
  storage: Storage;
}

/**
 * One app serving the built client on a fresh embedded store, and one Chromium, for a whole
 * describe block: `const t = useBrowserApp(env)` (or `useBrowserApp(() => env)`).
 */
export function useBrowserApp(env: Env | (() => Env) = {}, opts: { mdsRoots?: X509Certificate[] } = {}): BrowserApp {
  const fixture = {} as BrowserApp;
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await embeddedFactory.create();
    dispose = created.dispose;
    fixture.storage = created.storage;
    // A function: settings known only once an earlier beforeAll ran (a directory's port).
    fixture.app = await startTestApp({ storage: created.storage, clientDir: CLIENT_DIR, env: typeof env === 'function' ? env() : env, ...(opts.mdsRoots && { mdsRoots: opts.mdsRoots }) });
    fixture.browser = await launchBrowser();
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.app?.close();
    await dispose?.();
  });
  return fixture;
}

/**
 * Where a page stood when a test failed (address, heading, alerts, server answers it was
 * still waiting for): registered with `beforeEach(({ onTestFailed }) => onTestFailed(...))`.
 */
export function tellPageStateOnFailure(page: () => Page | undefined): (ctx: { onTestFailed: (fn: () => Promise<void>) => void }) => void {
  return ({ onTestFailed }) => {
    onTestFailed(async () => {
      const p = page();
      if (!p || p.isClosed()) return;
      const read = (selector: string) => p.locator(selector).allTextContents().catch((err: Error) => [`(unreadable: ${err.message})`]);
      console.error('page at failure:', JSON.stringify({ url: p.url(), h1: await read('h1'), alerts: await read('[role=alert], [role=status]') }));
    });
  };
}
