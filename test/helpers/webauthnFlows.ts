// Whole ceremonies over HTTP with the software authenticator.
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { expect } from 'vitest';
import type { HttpClient, HttpResponse } from './httpClient.js';
import { PASSWORD } from './appFixture.js';
import { SoftAuthenticator, type Tamper } from './softAuthenticator.js';

export async function registerKey(c: HttpClient, key: SoftAuthenticator, tamper: Tamper = {}, name?: string): Promise<HttpResponse> {
  const options = await c.post<PublicKeyCredentialCreationOptionsJSON>('/api/webauthn/registration/options', {});
  expect(options.status).toBe(200);
  return c.post('/api/webauthn/registration/verify', { response: key.register(options.body, tamper), ...(name && { name }) });
}

/** A new account with one registered key; the client is signed in at aal 2. */
export async function signUpWithKey(c: HttpClient, username: string, key = new SoftAuthenticator(c.origin)) {
  expect((await c.post('/api/accounts', { username, password: PASSWORD })).status).toBe(201);
  const res = await registerKey(c, key);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { key, credential: (res.body as { credential: { id: string } }).credential };
}

export async function authOptions(c: HttpClient) {
  const res = await c.post<PublicKeyCredentialRequestOptionsJSON>('/api/webauthn/authentication/options', {});
  expect(res.status).toBe(200);
  return res.body;
}

export async function passwordStep(c: HttpClient, username: string) {
  const res = await c.post('/api/session', { username, password: PASSWORD });
  expect(res.body).toMatchObject({ status: 'mfa_required' });
}

export async function assertWith(c: HttpClient, key: SoftAuthenticator, tamper: Parameters<SoftAuthenticator['assert']>[1] = {}) {
  const options = await authOptions(c);
  return c.post('/api/webauthn/authentication/verify', { response: key.assert(options, tamper) });
}
