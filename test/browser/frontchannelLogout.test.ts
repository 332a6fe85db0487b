// Front-channel logout in Chromium: a person signs out through an app (RP-initiated logout)
// and confirms; Keyward's signed-out page loads the app's frontchannel_logout_uri with iss and
// sid in a frame (its Content Security Policy letting it), and only then goes on to the app's
// post_logout_redirect_uri; the Keyward session is over.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowserApp } from '../helpers/browser.js';
import { freePort } from '../helpers/freePort.js';
import { PASSWORD } from '../helpers/appFixture.js';

const rpPort = await freePort();
const rp = `http://localhost:${rpPort}`;
const SECRET = 'fc-secret-0123456789abcdef';
const clientsFile = join(mkdtempSync(join(tmpdir(), 'keyward-fc-')), 'clients.yaml');
writeFileSync(
  clientsFile,
  `- client_id: notes\n  client_secret: ${SECRET}\n  redirect_uris: [${rp}/cb]\n  post_logout_redirect_uris: [${rp}/bye]\n` +
    `  firstParty: true\n  frontchannel_logout_uri: ${rp}/front-logout\n  frontchannel_logout_session_required: true\n`,
);

describe('front-channel logout in a browser', () => {
  const t = useBrowserApp({ OIDC_CLIENTS_FILE: clientsFile, MFA_REQUIRED: 'false' });
  let server: Server;
  /** What the app was asked, in order. */
  const seen: URL[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(new URL(req.url ?? '/', rp));
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<h1>Notes</h1>');
    });
    await new Promise<void>((r) => server.listen(rpPort, '127.0.0.1', r));
    await t.app.client().post('/api/accounts', { username: 'alice', password: PASSWORD });
  });
  afterAll(async () => {
    await new Promise<void>((r) => server?.close(() => r()));
  });

  it('loads the app\'s front-channel address with iss and sid, then goes on to the app', async () => {
    const context = await t.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.app.origin}/oidc/auth?${new URLSearchParams({ client_id: 'notes', response_type: 'code', scope: 'openid', redirect_uri: `${rp}/cb`, state: 's1' })}`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((u) => u.href.startsWith(`${rp}/cb`));
    const code = new URL(page.url()).searchParams.get('code')!;
    const token = await fetch(`${t.app.url}/oidc/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`notes:${SECRET}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `${rp}/cb` }),
    });
    const idToken = ((await token.json()) as { id_token: string }).id_token;
    const sid = (JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;

    await page.goto(`${t.app.origin}/oidc/session/end?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: `${rp}/bye`, state: 's2' })}`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((u) => u.href.startsWith(`${rp}/bye`), { timeout: 15_000 });
    expect(new URL(page.url()).searchParams.get('state')).toBe('s2');
    const front = seen.findIndex((u) => u.pathname === '/front-logout');
    expect(front, seen.map((u) => u.href).join(' ')).toBeGreaterThan(-1);
    expect(Object.fromEntries(seen[front]!.searchParams)).toEqual({ iss: t.app.config.oidc.issuer, sid });
    expect(front).toBeLessThan(seen.findIndex((u) => u.pathname === '/bye'));
    expect(await (await page.request.get(`${t.app.origin}/api/session`)).json()).toMatchObject({ status: 'anonymous' });
    await context.close();
  });
});
