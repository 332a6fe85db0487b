// A removal that would be refused anyway (last_factor) is refused before the step-up is
// asked for: the person does not spend a recovery code on it, and gets no "a recovery code
// was used" notice for nothing. The client flow is followed as the browser does it: on
// step_up_required it verifies with a recovery code and tries again.
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import type { HttpClient } from '../helpers/httpClient.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { registerKey, signUpWithKey } from '../helpers/webauthnFlows.js';
import { enrollTotp, signUpWithTotp } from './totpSteps.js';

const STEP_UP_EXPIRED_MS = 301_000;

/** DELETE as the client does it: a step-up with a recovery code when asked, then again. */
async function removeLikeTheClient(c: HttpClient, path: string, recoveryCode: string) {
  const first = await c.delete<{ error: string }>(path);
  if (first.status !== 403 || first.body.error !== 'step_up_required') return first;
  expect((await c.post('/api/recovery-codes/verify', { code: recoveryCode })).status).toBe(200);
  return c.delete<{ error: string }>(path);
}

async function recoveryState(c: HttpClient) {
  const remaining = (await c.get<{ remaining: number }>('/api/recovery-codes')).body.remaining;
  const notices = (await c.get<{ type: string }[]>('/api/me/notices')).body.map((n) => n.type);
  return { remaining, notices };
}

describe.each(storageFactories)('refusing before step-up ($name)', (factory) => {
  const t = useApp(factory, { MFA_REQUIRED: 'true' });

  it('refuses removing the only security key with last_factor before asking for a second factor', async () => {
    const c = t.app.client();
    const key = new SoftAuthenticator(t.app.origin);
    expect((await c.post('/api/accounts', { username: 'alice', password: 'correct horse battery staple' })).status).toBe(201);
    const reg = await registerKey(c, key);
    const { credential, recoveryCodes } = reg.body as { credential: { id: string }; recoveryCodes: string[] };
    t.app.clock.advance(STEP_UP_EXPIRED_MS);
    const res = await removeLikeTheClient(c, `/api/webauthn/credentials/${credential.id}`, recoveryCodes[0]!);
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('last_factor');
    expect(await recoveryState(c)).toEqual({ remaining: 10, notices: expect.not.arrayContaining(['recovery_code.used']) });
    expect((await c.get<unknown[]>('/api/webauthn/credentials')).body).toHaveLength(1);
  });

  it('refuses removing the only authenticator app with last_factor before asking for a second factor', async () => {
    const { c, id, recoveryCodes } = await signUpWithTotp(t.app);
    t.app.clock.advance(STEP_UP_EXPIRED_MS);
    const res = await removeLikeTheClient(c, `/api/totp/authenticators/${id}`, recoveryCodes![0]!);
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('last_factor');
    expect(await recoveryState(c)).toEqual({ remaining: 10, notices: expect.not.arrayContaining(['recovery_code.used']) });
  });

  it('still asks for a step-up when another second factor remains', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'bob');
    await enrollTotp(t.app, c);
    const [key] = (await c.get<{ id: string }[]>('/api/webauthn/credentials')).body;
    t.app.clock.advance(STEP_UP_EXPIRED_MS);
    const res = await c.delete<{ error: string }>(`/api/webauthn/credentials/${key!.id}`);
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('step_up_required');
    const [app] = (await c.get<{ id: string }[]>('/api/totp/authenticators')).body;
    expect((await c.delete<{ error: string }>(`/api/totp/authenticators/${app!.id}`)).body.error).toBe('step_up_required');
  });

  it('does not tell a signed-out visitor anything about the factor', async () => {
    const c = t.app.client();
    const { credential } = await signUpWithKey(c, 'carol');
    const stranger = t.app.client();
    expect((await stranger.delete(`/api/webauthn/credentials/${credential.id}`)).status).toBe(401);
  });
});
