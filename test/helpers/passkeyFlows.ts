// Passkey-only accounts over HTTP with the software authenticator: sign-up with a passkey
// instead of a password, a passkey step-up (usernameless, user verified), a passkey sign-in.
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { expect } from 'vitest';
import type { HttpClient, HttpResponse } from './httpClient.js';
import { SoftAuthenticator, type Tamper } from './softAuthenticator.js';

export interface PasskeySignUp {
  options: HttpResponse<PublicKeyCredentialCreationOptionsJSON>;
  created: HttpResponse<{ user: { id: string; username: string }; credential: { id: string }; recoveryCodes?: string[] }>;
}

/** Both steps of a passkey sign-up; `account` adds displayName, email or invitation. */
export async function tryPasskeySignUp(c: HttpClient, username: string, key: SoftAuthenticator, account: Record<string, unknown> = {}, tamper: Tamper = {}): Promise<PasskeySignUp> {
  const options = await c.post<PublicKeyCredentialCreationOptionsJSON>('/api/accounts/passkey/options', { username, ...account });
  if (options.status !== 200) return { options, created: options as never };
  const created = await c.post<PasskeySignUp['created']['body']>('/api/accounts/passkey', { username, ...account, response: key.register(options.body, tamper) });
  return { options, created };
}

/** A new passkey-only account; the client is signed in with it at aal 2. */
export async function signUpWithPasskey(c: HttpClient, username: string, key = new SoftAuthenticator(c.origin), account: Record<string, unknown> = {}, tamper: Tamper = {}) {
  const { created } = await tryPasskeySignUp(c, username, key, account, tamper);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { key, user: created.body.user, credential: created.body.credential, recoveryCodes: created.body.recoveryCodes ?? [] };
}

/** The signed-in person confirms with a passkey (usernameless, user verification required). */
export async function passkeyStepUp(c: HttpClient, key: SoftAuthenticator, tamper: Parameters<SoftAuthenticator['assert']>[1] = {}) {
  const options = await c.post<PublicKeyCredentialRequestOptionsJSON>('/api/webauthn/authentication/options', { passkey: true });
  expect(options.status).toBe(200);
  return c.post('/api/webauthn/authentication/verify', { response: key.assert(options.body, tamper) });
}

/** A usernameless passkey sign-in from a fresh client. */
export async function passkeySignIn(c: HttpClient, key: SoftAuthenticator) {
  const options = await c.post<PublicKeyCredentialRequestOptionsJSON>('/api/webauthn/authentication/options', {});
  expect(options.status).toBe(200);
  return c.post('/api/webauthn/authentication/verify', { response: key.assert(options.body) });
}
