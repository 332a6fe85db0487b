// Key model names from the FIDO metadata in settings, and a passkey the server no longer
// knows, through the real client in Chromium with a CDP virtual authenticator.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from '../helpers/browser.js';
import { openPageWithKey, type VirtualKey } from '../helpers/virtualAuthenticator.js';
import { createMdsWorld, DAY } from '../helpers/mdsWorld.js';
import { runMdsUpdate } from '../../server/mds/mdsCommands.js';

// The AAGUID Chromium's virtual CTAP2 authenticator reports (device/fido/virtual_ctap2_device.cc).
const VIRTUAL_AAGUID = '01020304-0506-0708-0102-030405060708';
// A 1x1 PNG, the model's icon in the blob.
const ICON = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const world = await createMdsWorld();

describe('key models and removed keys in the browser', () => {
  // Under 'none' attestation Chromium sends an all-zero AAGUID: the model is known only when
  // the server asks for attestation, as an organisation naming its keys' models does.
  const t = useBrowserApp({ ATTESTATION_POLICY: 'direct' }, { mdsRoots: world.roots });
  let page: Page;
  let key: VirtualKey;

  beforeAll(async () => {
    ({ page, key } = await openPageWithKey(t.browser));
    // The operator's `keyward mds update`, with the test's root standing in for the FIDO root:
    // a blob naming the virtual authenticator's model.
    const model = await world.model({ aaguid: VIRTUAL_AAGUID, description: 'Chromium Virtual Key', icon: ICON });
    const file = join(mkdtempSync(join(tmpdir(), 'keyward-mds-browser-')), 'blob.jwt');
    writeFileSync(file, await world.blob({ no: 1, nextUpdate: Date.now() + 30 * DAY, models: [model] }));
    const code = await runMdsUpdate(['--file', file], { config: t.app.config, storage: t.storage, roots: world.roots, clock: t.app.clock, print: () => {} });
    expect(code).toBe(0);
  });

  const heading = () => page.getByRole('heading', { level: 1 }).textContent();

  it('shows the key model named by the FIDO metadata, with its icon, next to the name the person gave', async () => {
    await page.goto(`${t.app.origin}/signup`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(heading).toBe('Security settings');
    await page.getByLabel('Name for the new key (optional)').fill('Office key');
    await page.getByRole('button', { name: 'Add a security key' }).click();
    await expect.poll(heading).toBe('Save your recovery codes');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await expect.poll(() => page.locator('.key-name').allTextContents()).toEqual(['Office key']);
    const alice = await t.storage.users.findByUsername('alice');
    const [stored] = await t.storage.credentials.listByUser(alice!.id);
    expect(stored?.aaguid).toBe(VIRTUAL_AAGUID);
    expect(await page.locator('li.key .key-model').textContent()).toBe(' · Chromium Virtual Key, Security key');
    // The icon is drawn under the page's CSP (img-src 'self' data:), not blocked.
    const csp = (await page.request.get(`${t.app.origin}/settings`)).headers()['content-security-policy'];
    expect(csp).toMatch(/img-src 'self' data:/);
    const icon = page.locator('li.key .key-model img.key-icon');
    expect(await icon.getAttribute('src')).toBe(ICON);
    await expect.poll(() => icon.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  });

  it('says a passkey the server no longer knows is no longer registered, instead of "try again"', async () => {
    const alice = await t.storage.users.findByUsername('alice');
    const [stored] = await t.storage.credentials.listByUser(alice!.id);
    await page.goto(`${t.app.origin}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
    expect(await t.storage.credentials.remove(alice!.id, stored!.id)).toBe(true);
    expect(await key.credentials()).toHaveLength(1); // the authenticator still offers it
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('This key is no longer registered here: use another way.');
    expect(await heading()).not.toBe('Hello, alice');
  });
});
