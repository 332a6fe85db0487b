// Authenticator-app and recovery-code steps over HTTP. Codes come from otplib with its own
// defaults (pure-JS HMAC), not from Keyward's TOTP module.
import { expect } from 'vitest';
import { generate } from 'otplib';
import type { HttpClient } from '../helpers/httpClient.js';
import type { TestApp } from '../helpers/testApp.js';
import { PASSWORD } from '../helpers/appFixture.js';

export interface Enrollment {
  id: string;
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

export interface Authenticator {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The code an authenticator app shows for `secret` (base32) at `ms`. */
export function codeAt(secret: string, ms: number): Promise<string> {
  return generate({ secret, epoch: Math.floor(ms / 1000) });
}

/** A new account (session at aal 1, enrollment required). */
export async function signUp(app: TestApp, username = 'alice'): Promise<HttpClient> {
  const c = app.client();
  expect((await c.post('/api/accounts', { username, password: PASSWORD })).status).toBe(201);
  return c;
}

export async function startEnrollment(c: HttpClient, name?: string): Promise<Enrollment> {
  const res = await c.post<Enrollment>('/api/totp/authenticators', name === undefined ? {} : { name });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Adds and confirms an authenticator at the app clock's current time. */
export async function enrollTotp(app: TestApp, c: HttpClient, name?: string) {
  const e = await startEnrollment(c, name);
  const res = await c.post<{ authenticator: Authenticator; recoveryCodes?: string[] }>(`/api/totp/authenticators/${e.id}/confirm`, {
    code: await codeAt(e.secret, app.clock.now()),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { ...e, authenticator: res.body.authenticator, recoveryCodes: res.body.recoveryCodes };
}

/** A new account with one confirmed authenticator; signed in at aal 2. */
export async function signUpWithTotp(app: TestApp, username = 'alice') {
  const c = await signUp(app, username);
  const enrolled = await enrollTotp(app, c);
  return { c, ...enrolled };
}

/** Moves the clock to the next time step, so a fresh code exists. */
export function nextStep(app: TestApp): void {
  app.clock.advance(30_000);
}

/**
 * A fresh client that passed the password step (status mfa_required); from address `ip`
 * (X-Forwarded-For, with TRUST_PROXY) when given.
 */
export async function passwordStep(app: TestApp, username = 'alice', ip?: string): Promise<HttpClient> {
  const c = app.client();
  if (ip) c.headers['X-Forwarded-For'] = ip;
  const res = await c.post('/api/session', { username, password: PASSWORD });
  expect(res.body).toMatchObject({ status: 'mfa_required' });
  return c;
}

export async function verifyTotp(app: TestApp, c: HttpClient, secret: string) {
  return c.post('/api/totp/verify', { code: await codeAt(secret, app.clock.now()) });
}
