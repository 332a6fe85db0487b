// A device's user code is short (8 letters of 20): what keeps a stranger from guessing a live
// one is the count of wrong entries, per session and per address, taken BEFORE the provider
// looks the code up (the attempt guard, shared by every instance through the store). Bursts
// open every connection first and write all requests in one tick (test/helpers/burst.ts).
import { describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { storageFactories } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import { burst, countStatuses, type BurstRequest, type BurstResponse } from '../helpers/burst.js';
import type { HttpClient } from '../helpers/httpClient.js';
import type { TestApp } from '../helpers/testApp.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import { relyingParty, writeClientsFile } from '../helpers/oidcRelyingParty.js';
import { deviceClients, openDevicePage, postDeviceForm, type DevicePage } from '../helpers/deviceFlow.js';
import { BUSY_MESSAGE } from '../../server/http/inFlightLimit.js';

const clientsFile = writeClientsFile(deviceClients);
const N = 100;
const PER_SESSION = 5;
const PER_ADDRESS = 8;
// A wait, not a bound: what is asserted is the count, never the time.
const BURST_TIMEOUT = { timeout: 180_000 };
const portOf = (app: TestApp) => Number(new URL(app.url).port);

function entry(c: HttpClient, form: DevicePage, userCode: string): BurstRequest {
  const headers: Record<string, string> = { Origin: c.origin, ...c.headers, Cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  return { method: 'POST', path: form.action, headers, form: { xsrf: form.xsrf, user_code: userCode } };
}

const evaluated = (r: BurstResponse) => r.status === 200 && r.body.includes('That code is not right');
const isBusy = (r: BurstResponse) => r.status === 503 && r.body.includes(BUSY_MESSAGE);
// Each answer of the page carries a new xsrf token (oidc-provider's): an entry that raced past
// the one before it is refused for its stale token, before any lookup.
// (The page then says the sign-in was not completed, with status 400, and a new form.)
const staleForm = (r: BurstResponse) => r.status === 400 && r.body.includes('The sign-in was not completed');

/** Every entry was looked up and found wrong, or refused unlooked (429 with Retry-After, busy, or a stale form). */
function lookups(responses: BurstResponse[]): number {
  const counts = countStatuses(responses);
  const refused = responses.filter((r) => r.status === 429 || isBusy(r) || staleForm(r));
  expect(responses.filter(evaluated).length + refused.length, JSON.stringify(counts)).toBe(responses.length);
  expect(responses.filter((r) => r.status === 429).every((r) => Number(r.headers['retry-after']) > 0)).toBe(true);
  return responses.filter(evaluated).length;
}

async function signedInAtDevicePage(app: TestApp, name: string) {
  const c = app.client();
  await signUpWithKey(c, name);
  const form = await openDevicePage(c, `${app.config.oidc.issuer}/device`);
  expect(form.xsrf).not.toBe('');
  return { c, form };
}

describe.each(storageFactories)('guessing device codes ($name)', (factory) => {
  const t = useApp(factory, { OIDC_CLIENTS_FILE: clientsFile, RATE_LIMIT_IP_MAX: String(PER_ADDRESS) });

  it(`looks up at most ${PER_SESSION} of ${N} simultaneous wrong codes from one session, and then not even the right one`, BURST_TIMEOUT, async () => {
    const config = await relyingParty(t.app, 'cli');
    const started = await oidc.initiateDeviceAuthorization(config, { scope: 'openid' });
    const { c, form } = await signedInAtDevicePage(t.app, 'mallory');
    const guesses = Array.from({ length: N }, (_, i) => entry(c, form, `BCDF-${'GHJKLMNPQR'[i % 10]}${'STVW'[i % 4]}XZ`));
    let looked = lookups(await burst(portOf(t.app), guesses));
    expect(looked).toBeLessThanOrEqual(PER_SESSION);
    // Entries refused for a stale form cost nothing; one at a time after the burst, the
    // session gets no lookups beyond the budget either (a burst may also start a back-off).
    for (;;) {
      const res = await postDeviceForm(c, await openDevicePage(c, `${t.app.config.oidc.issuer}/device`), { user_code: 'XZXZ-XZXZ' });
      if (res.status === 429) break;
      expect(res.body).toContain('That code is not right');
      looked++;
    }
    expect(looked).toBeLessThanOrEqual(PER_SESSION);
    const right = await postDeviceForm(c, await openDevicePage(c, `${t.app.config.oidc.issuer}/device`), { user_code: started.user_code });
    expect(right.status).toBe(429);
    expect(right.body).toContain('Too many wrong codes');
  });

  it(`looks up no more than ${PER_SESSION} wrong codes from one session when an entry it never looked up comes between them`, BURST_TIMEOUT, async () => {
    const { c } = await signedInAtDevicePage(t.app, 'oscar');
    const page = () => openDevicePage(c, `${t.app.config.oidc.issuer}/device`);
    const wrong = async (form: DevicePage) => postDeviceForm(c, form, { user_code: 'XZXZ-XZXZ' });
    let looked = 0;
    for (let i = 0; i < PER_SESSION - 2; i++) {
      expect((await wrong(await page())).body).toContain('That code is not right');
      looked++;
    }
    const form = await page();
    expect((await wrong(form)).body).toContain('That code is not right');
    looked++;
    // The same form again: its xsrf token was spent, so the code is not looked up.
    const stale = await wrong(form);
    expect(staleForm({ status: stale.status, body: String(stale.body), headers: {} })).toBe(true);
    for (;;) {
      const res = await wrong(await page());
      if (res.status === 429) break;
      expect(res.body).toContain('That code is not right');
      looked++;
    }
    expect(looked).toBe(PER_SESSION);
  });

  it(`looks up at most ${PER_ADDRESS} wrong codes from one address however many sessions send them`, BURST_TIMEOUT, async () => {
    const sessions = await Promise.all(['ivan', 'judy', 'kurt', 'lena'].map((n) => signedInAtDevicePage(t.app, n)));
    const guesses = Array.from({ length: N }, (_, i) => {
      const { c, form } = sessions[i % sessions.length]!;
      return entry(c, form, `ZXWV-${'GHJKLMNPQR'[i % 10]}TSRQ`);
    });
    expect(lookups(await burst(portOf(t.app), guesses))).toBeLessThanOrEqual(PER_ADDRESS);
  });
});
