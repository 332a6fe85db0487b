// Levels in single sign-on always end: acr_values is a preference (the highest level listed
// that the person can reach now, after at most one visit to Keyward's verify page, else the
// level they have); only the client's requireAal or an essential acr claim binds, and a
// binding level nobody can give ends at once with unmet_authentication_requirements. The
// browser stand-in here counts every request, so a loop shows as a number, not a hang.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Configuration } from 'openid-client';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import type { HttpClient } from '../helpers/httpClient.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { assertWith, registerKey, signUpWithKey } from '../helpers/webauthnFlows.js';
import { createMdsWorld, DAY, type MdsWorld } from '../helpers/mdsWorld.js';
import { redeem, relyingParty, RP, SECRET, startAuthorization, type Started, writeClientsFile } from '../helpers/oidcRelyingParty.js';

const clientsFile = writeClientsFile([{ client_id: 'vault', client_secret: SECRET, redirect_uris: [RP], firstParty: true, requireAal: 3 }]);
const essential = (...values: string[]) => JSON.stringify({ id_token: { acr: { essential: true, values } } });

interface Run {
  /** Where the browser left Keyward for the relying party. */
  callback: URL;
  /** Every request the browser made at Keyward. */
  requests: number;
  /** Paths of the Keyward pages it was sent to (sign-in, verify), in order. */
  pages: string[];
}

/**
 * Follows an authorization like a browser, at most `cap` requests: at the verify page it does
 * `atVerify` (nothing: the person goes back without verifying), then returns to `rd`.
 */
async function run(c: HttpClient, started: Started, opts: { atVerify?: () => Promise<void>; cap?: number } = {}): Promise<Run> {
  const cap = opts.cap ?? 20;
  let url = new URL(started.url);
  const pages: string[] = [];
  for (let requests = 1; requests <= cap; requests++) {
    const res = await c.get(url.pathname + url.search, { origin: null });
    const location = res.headers.get('location');
    expect(location, `${url.pathname} answered ${res.status} ${String(res.body).slice(0, 200)}`).toBeTruthy();
    const next = new URL(location!, url);
    if (next.href.startsWith(RP)) return { callback: next, requests, pages };
    if (next.pathname === '/verify' || next.pathname === '/signin') {
      pages.push(next.pathname);
      if (next.pathname === '/verify') await opts.atVerify?.();
      url = new URL(next.searchParams.get('rd')!);
      continue;
    }
    url = next;
  }
  throw new Error(`no end after ${cap} requests (pages: ${pages.join(' ')})`);
}

const acrOf = async (config: Configuration, started: Started, r: Run) => (await redeem(config, { ...started, callback: r.callback })).claims()?.acr;

describe('single sign-on levels without hardware-key attestation', () => {
  const t = useApp(embeddedFactory, { OIDC_CLIENTS_FILE: clientsFile, ATTESTATION_POLICY: 'none' });

  it('does not offer aal3 in discovery when no sign-in can reach it', async () => {
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    expect(config.serverMetadata().acr_values_supported).toEqual(['aal1', 'aal2']);
  });

  it('gives an aal2 session its aal2 at once for acr_values=aal3 (and "aal1 aal2 aal3"), never bouncing between the interaction and /verify', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'olga');
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    for (const acr_values of ['aal3', 'aal1 aal2 aal3']) {
      const started = await startAuthorization(config, { acr_values });
      const r = await run(c, started);
      expect(r.pages).toEqual([]);
      expect(r.requests).toBeLessThanOrEqual(4);
      expect(await acrOf(config, started, r)).toBe('aal2');
    }
  });

  it('ends a binding aal3 (an essential acr claim, or a client registered with requireAal: 3) at once with unmet_authentication_requirements', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'pia');
    for (const [clientId, params] of [
      ['app', { claims: essential('aal3') }],
      ['vault', {}],
      ['vault', { acr_values: 'aal1 aal2 aal3' }],
    ] as const) {
      const config = await relyingParty(t.app, clientId, { secret: SECRET });
      const r = await run(c, await startAuthorization(config, params));
      expect(r.callback.searchParams.get('error'), clientId).toBe('unmet_authentication_requirements');
      expect(r.callback.searchParams.get('code')).toBeNull();
      expect(r.pages).toEqual([]);
      expect(r.requests).toBeLessThanOrEqual(4);
    }
    expect((await c.get('/api/whoami')).status).toBe(200);
  });
});

describe('single sign-on levels for a password-only account', () => {
  const t = useApp(embeddedFactory, { OIDC_CLIENTS_FILE: clientsFile, MFA_REQUIRED: 'false' });

  it('reads acr_values "aal1 aal2" as a preference: aal1 for a password-only account, and an essential aal2 is refused', async () => {
    const c = t.app.client();
    expect((await c.post('/api/accounts', { username: 'quinn', password: PASSWORD })).status).toBe(201);
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    for (const acr_values of ['aal1 aal2', 'aal2']) {
      const started = await startAuthorization(config, { acr_values });
      const r = await run(c, started);
      expect(r.pages).toEqual([]);
      expect(await acrOf(config, started, r)).toBe('aal1');
    }
    const bound = await run(c, await startAuthorization(config, { claims: essential('aal2') }));
    expect(bound.callback.searchParams.get('error')).toBe('unmet_authentication_requirements');
    // An essential list the session meets: the highest value of it that it meets.
    const met = await startAuthorization(config, { claims: essential('aal1', 'aal2') });
    expect(await acrOf(config, met, await run(c, met))).toBe('aal1');
  });
});

describe('single sign-on stepping up to aal3 with an attested hardware key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-oidc-aal3-'));
  let world: MdsWorld;
  let app: TestApp;
  let dispose: () => Promise<void>;
  let hardware: SoftAuthenticator;
  let software: SoftAuthenticator;

  beforeAll(async () => {
    world = await createMdsWorld();
    const hardModel = await world.model({ description: 'Test Key 5 NFC', keyProtection: ['hardware', 'secure_element'] });
    const softModel = await world.model({ description: 'Soft Token', keyProtection: ['software'] });
    const blobFile = join(dir, 'blob.jwt');
    writeFileSync(blobFile, await world.blob({ no: 1, nextUpdate: Date.now() + 30 * DAY, models: [hardModel, softModel] }));
    const created = await embeddedFactory.create();
    dispose = created.dispose;
    app = await startTestApp({ storage: created.storage, mdsRoots: world.roots, env: { OIDC_CLIENTS_FILE: clientsFile, ATTESTATION_POLICY: 'mds', MDS_BLOB_FILE: blobFile } });
    hardware = new SoftAuthenticator(app.origin, { aaguid: hardModel.aaguid, attestationIdentity: await world.attestation(hardModel), uv: false });
    software = new SoftAuthenticator(app.origin, { aaguid: softModel.aaguid, attestationIdentity: await world.attestation(softModel) });
  });
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  it('offers aal3 in discovery, steps an aal2 session up once on the verify page, and settles for aal2 when the person goes back without the key', async () => {
    const config = await relyingParty(app, 'app', { secret: SECRET });
    expect(config.serverMetadata().acr_values_supported).toEqual(['aal1', 'aal2', 'aal3']);
    const c = app.client();
    expect((await c.post('/api/accounts', { username: 'rosa', password: PASSWORD })).status).toBe(201);
    expect((await registerKey(c, software)).status).toBe(201);
    expect((await registerKey(c, hardware)).status).toBe(201);
    expect((await c.get<{ aal: number }>('/api/whoami')).body.aal).toBe(2);

    // Gone back without verifying: one visit to /verify, then the code at the level there is.
    const abandoned = await startAuthorization(config, { acr_values: 'aal1 aal2 aal3' });
    const r1 = await run(c, abandoned);
    expect(r1.pages).toEqual(['/verify']);
    expect(await acrOf(config, abandoned, r1)).toBe('aal2');

    // With the hardware key on the verify page: aal3.
    const started = await startAuthorization(config, { acr_values: 'aal3' });
    const r2 = await run(c, started, {
      atVerify: async () => {
        expect((await assertWith(c, hardware)).status).toBe(200);
      },
    });
    expect(r2.pages).toEqual(['/verify']);
    expect(await acrOf(config, started, r2)).toBe('aal3');
    // Now at aal3, a client that binds it goes straight through.
    const vault = await relyingParty(app, 'vault', { secret: SECRET });
    const bound = await startAuthorization(vault);
    const r3 = await run(c, bound);
    expect(r3.pages).toEqual([]);
    expect(await acrOf(vault, bound, r3)).toBe('aal3');
  });

  it('ends a binding aal3 with unmet_authentication_requirements when the person goes back from the verify page without the key', async () => {
    const c = app.client();
    expect((await c.post('/api/accounts', { username: 'sami', password: PASSWORD })).status).toBe(201);
    expect((await registerKey(c, software)).status).toBe(201);
    expect((await registerKey(c, hardware)).status).toBe(201);
    const vault = await relyingParty(app, 'vault', { secret: SECRET });
    const r = await run(c, await startAuthorization(vault));
    expect(r.pages).toEqual(['/verify']);
    expect(r.callback.searchParams.get('error')).toBe('unmet_authentication_requirements');
  });
});
