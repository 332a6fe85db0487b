// The person's side of a device sign-in (RFC 8628) over HTTP: Keyward's code page, the
// confirmation, the fresh proof on the verify page, and back to the provider's done page.
import { expect } from 'vitest';
import type { HttpClient, HttpResponse } from './httpClient.js';
import type { SoftAuthenticator } from './softAuthenticator.js';
import { assertWith } from './webauthnFlows.js';
import { follow } from './oidcRelyingParty.js';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** A command line (public client) and a device app with a secret, both for the device grant. */
export const deviceClients = [
  { client_id: 'cli', grant_types: [DEVICE_GRANT, 'refresh_token'], client_name: 'Deploy CLI', firstParty: true },
  { client_id: 'tv', client_secret: 'tv-secret-0123456789abcdef', grant_types: [DEVICE_GRANT], client_name: 'Lobby screen', firstParty: true },
];

const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

export interface DevicePage {
  status: number;
  body: string;
  /** The form's xsrf token (the provider's, in Keyward's page). */
  xsrf: string;
  action: string;
}

function page(res: HttpResponse<unknown>): DevicePage {
  const body = String(res.body);
  return { status: res.status, body, xsrf: /name="xsrf" value="([^"]*)"/.exec(body)?.[1] ?? '', action: pathOf(/action="([^"]+)"/.exec(body)?.[1]?.replace(/&#38;/g, '&') ?? 'http://x/oidc/device') };
}

export async function openDevicePage(c: HttpClient, url: string): Promise<DevicePage> {
  return page(await c.get(pathOf(url), { origin: null }));
}

/** Posts the code page's (or the confirmation's) form. */
export async function postDeviceForm(c: HttpClient, form: DevicePage, fields: Record<string, string>): Promise<HttpResponse<unknown> & DevicePage> {
  const res = await c.request<unknown>('POST', form.action, { body: new URLSearchParams({ xsrf: form.xsrf, ...fields }).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  return { ...res, ...page(res) };
}

/** The whole approval by a signed-in `c` holding `key`: code page, confirm, key tap, done page. */
export async function approveDevice(c: HttpClient, key: SoftAuthenticator, verificationUriComplete: string, userCode: string): Promise<string> {
  const entry = await openDevicePage(c, verificationUriComplete);
  expect(entry.status).toBe(200);
  const confirm = await postDeviceForm(c, entry, { user_code: userCode });
  expect(confirm.body).toContain(userCode);
  const confirmed = await postDeviceForm(c, confirm, { user_code: userCode, confirm: 'yes' });
  expect(confirmed.status, String(confirmed.body).slice(0, 300)).toBeGreaterThanOrEqual(300);
  const atVerify = await follow(c, confirmed.headers.get('location')!);
  expect(atVerify.location?.pathname, `ended at ${atVerify.status} ${atVerify.body.slice(0, 300)}`).toBe('/verify');
  expect((await assertWith(c, key)).status).toBe(200);
  const done = await follow(c, atVerify.location!.searchParams.get('rd')!);
  expect(done.status, done.body.slice(0, 600)).toBe(200);
  return done.body;
}
