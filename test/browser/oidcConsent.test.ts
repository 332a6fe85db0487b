// The consent page in Chromium: a client that is not first-party asks first, on a page in
// Keyward's own look; Deny sends access_denied back to the client, Allow carries on to it
// with a code.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from '../helpers/browser.js';
import { freePort } from '../helpers/freePort.js';
import { PASSWORD } from '../helpers/appFixture.js';

const rpPort = await freePort();
const callback = `http://localhost:${rpPort}/cb`;
const clientsFile = join(mkdtempSync(join(tmpdir(), 'keyward-consent-')), 'clients.yaml');
writeFileSync(clientsFile, `- client_id: wiki\n  client_secret: wiki-secret-0123456789\n  redirect_uris: [${callback}]\n  client_name: Team Wiki\n`);

describe('the consent page of a client that is not first-party', () => {
  const t = useBrowserApp({ OIDC_CLIENTS_FILE: clientsFile, AUTHZ_RETURN_DOMAINS: 'localhost', MFA_REQUIRED: 'false' });
  let rp: Server;

  beforeAll(async () => {
    // The relying party's callback shows what it was sent.
    rp = createServer((req, res) => {
      const q = new URL(req.url ?? '/', callback).searchParams;
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<h1>Wiki callback</h1><p id="error">${q.get('error') ?? ''}</p><p id="code">${q.get('code') ? 'a code' : ''}</p><p id="state">${q.get('state') ?? ''}</p>`);
    });
    await new Promise<void>((r) => rp.listen(rpPort, '127.0.0.1', r));
    await t.app.client().post('/api/accounts', { username: 'alice', password: PASSWORD });
  });
  afterAll(async () => {
    await new Promise<void>((r) => rp?.close(() => r()));
  });

  const authorizeUrl = (state: string) =>
    `${t.app.origin}/oidc/auth?${new URLSearchParams({ client_id: 'wiki', response_type: 'code', scope: 'openid profile groups', redirect_uri: callback, state })}`;
  const text = (page: Page, selector: string) => page.locator(selector).textContent();

  it('asks in Keyward\'s look; Deny returns access_denied to the client, Allow continues to it with a code', async () => {
    const context = await t.browser.newContext();
    const page = await context.newPage();
    await page.goto(authorizeUrl('first'));
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Allow Team Wiki?');
    expect(await page.getByRole('listitem').allTextContents()).toEqual([
      'Who you are on Keyward (an identifier that never changes)',
      'Your username and display name',
      'The groups you belong to',
    ]);
    // Keyward's stylesheet: its header, its accent-coloured primary button, its outlined secondary one.
    expect(await page.locator('header.top .brand').textContent()).toBe('Keyward');
    const allow = page.getByRole('button', { name: 'Allow' });
    const deny = page.getByRole('button', { name: 'Deny' });
    // The stylesheet's own accent colour (whatever the theme defines), not a browser default.
    const accent = await page.evaluate(() => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--accent)';
      document.body.append(probe);
      const colour = getComputedStyle(probe).color;
      probe.remove();
      return colour;
    });
    expect(accent).toMatch(/^rgb/);
    expect(await allow.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(accent);
    // The outlined secondary button: the accent as its border, not as its fill.
    expect(await deny.evaluate((b) => getComputedStyle(b).borderTopColor)).toBe(accent);
    expect(await deny.evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe(accent);
    // The centred card of Keyward's pages, not a page-wide browser default.
    expect(await page.locator('main').evaluate((m) => getComputedStyle(m).maxWidth)).toMatch(/px$/);

    await deny.click();
    await page.waitForURL((u) => u.href.startsWith(callback));
    expect(await text(page, '#error')).toBe('access_denied');
    expect(await text(page, '#code')).toBe('');
    expect(await text(page, '#state')).toBe('first');

    await page.goto(authorizeUrl('second'));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Allow Team Wiki?');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((u) => u.href.startsWith(callback));
    expect(await text(page, '#error')).toBe('');
    expect(await text(page, '#code')).toBe('a code');
    expect(await text(page, '#state')).toBe('second');
    await context.close();
  });
});
