// oauth2-proxy's sign-out ends the Keyward session too: with --backend-logout-url pointing at
// Keyward's end-session endpoint with {id_token}, oauth2-proxy's server calls it (no browser
// cookie, only the ID token) and Keyward ends the session that ID token was issued in. The
// real oauth2-proxy v7.15.6, a browser stand-in with Keyward's cookies and the proxy's.
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedFactory } from '../helpers/storageFactories.js';
import type { Storage } from '../../server/storage/port.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { freePort } from '../helpers/freePort.js';
import { HttpClient } from '../helpers/httpClient.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import { follow } from '../helpers/oidcRelyingParty.js';
import { startDocumentedOauth2Proxy, type startOauth2Proxy } from '../helpers/oauth2Proxy.js';

describe('oauth2-proxy signing out through Keyward (--backend-logout-url)', () => {
  let keyward: TestApp;
  let dispose: () => Promise<void>;
  let storage: Storage;
  let upstream: Server;
  let proxy: Awaited<ReturnType<typeof startOauth2Proxy>>;
  let front: string;
  let frontUrl: string;

  beforeAll(async () => {
    const proxyPort = await freePort();
    front = `http://localhost:${proxyPort}`;
    frontUrl = `http://127.0.0.1:${proxyPort}`;
    const secret = randomBytes(24).toString('base64url');
    const clients = join(mkdtempSync(join(tmpdir(), 'keyward-o2p-')), 'clients.yaml');
    writeFileSync(clients, `- client_id: oauth2-proxy\n  client_secret: ${secret}\n  redirect_uris: [${front}/oauth2/callback]\n  firstParty: true\n`);
    const created = await embeddedFactory.create();
    dispose = created.dispose;
    storage = created.storage;
    keyward = await startTestApp({ storage: created.storage, env: { OIDC_CLIENTS_FILE: clients } });
    const appPort = await freePort();
    upstream = createServer((req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`hello ${String(req.headers['x-forwarded-preferred-username'])}`));
    await new Promise<void>((r) => upstream.listen(appPort, '127.0.0.1', r));
    proxy = await startDocumentedOauth2Proxy({ port: proxyPort, front, keywardOrigin: keyward.origin, appPort, clientSecret: secret });
  });
  afterAll(async () => {
    await proxy?.stop();
    await new Promise<void>((r) => upstream?.close(() => r()));
    await keyward?.close();
    await dispose?.();
  });

  it('ends the Keyward session when the person signs out of oauth2-proxy', async () => {
    const c = keyward.client();
    await signUpWithKey(c, 'alice');
    const browser = new HttpClient(frontUrl, front);
    const start = await browser.get('/oauth2/start?rd=%2Freports', { origin: null });
    expect(start.status).toBe(302);
    const back = await follow(c, start.headers.get('location')!);
    expect(back.location?.origin).toBe(front);
    const callback = await browser.get(back.location!.pathname + back.location!.search, { origin: null });
    expect(callback.status, proxy.log()).toBe(302);
    const page = await browser.get<string>('/reports', { origin: null });
    expect(page.body).toBe('hello alice');
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'authenticated' });

    const out = await browser.get('/oauth2/sign_out', { origin: null });
    expect(out.status).toBeLessThan(400);
    expect((await c.get('/api/session')).body, proxy.log()).toMatchObject({ status: 'anonymous' });
    const alice = (await storage.users.findByUsername('alice'))!.id;
    const events = await storage.audit.listForUser(alice, { limit: 50 });
    expect(events.find((e) => e.type === 'oidc.logout' && e.details['by'] === 'backend')).toBeDefined();
  });
});
