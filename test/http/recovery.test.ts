import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import { enrollTotp, nextStep, passwordStep, signUpWithTotp, verifyTotp } from './totpSteps.js';

describe.each(storageFactories)('recovery codes ($name)', (factory) => {
  const t = useApp(factory);

  it('issues ten easy-to-type codes with the first second factor, and none with the next', async () => {
    const { c, recoveryCodes } = await signUpWithTotp(t.app);
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes!) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
    expect(new Set(recoveryCodes).size).toBe(10);
    t.app.clock.advance(1000);
    const second = await enrollTotp(t.app, c, 'Tablet');
    expect(second.recoveryCodes).toBeUndefined();
    expect((await c.get('/api/recovery-codes')).body).toEqual({ remaining: 10 });
  });

  it('signs in with a recovery code after the password, at aal 2, and counts down', async () => {
    const { recoveryCodes } = await signUpWithTotp(t.app);
    const c = await passwordStep(t.app);
    const before = c.cookies.get('keyward');
    const res = await c.post('/api/recovery-codes/verify', { code: recoveryCodes![4] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'authenticated', user: { username: 'alice' }, remaining: 9 });
    expect(c.cookies.get('keyward')).not.toBe(before);
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'authenticated', aal: 2 });
    expect((await c.get('/api/recovery-codes')).body).toEqual({ remaining: 9 });
  });

  it('accepts codes in any order, in any case, with or without hyphens and spaces, and I/L/O look-alikes', async () => {
    const { recoveryCodes } = await signUpWithTotp(t.app);
    const codes = recoveryCodes!;
    const typed = [
      codes[9]!,
      codes[2]!.toUpperCase(),
      codes[0]!.replace('-', ''),
      ` ${codes[5]!.slice(0, 3)} ${codes[5]!.slice(3).replace('-', ' - ')} `,
      codes[7]!.replace(/1/g, 'l').replace(/0/g, 'O'),
      codes[3]!.replace(/1/g, 'I').replace(/0/g, 'o'),
    ];
    let remaining = 10;
    for (const code of typed) {
      const res = await (await passwordStep(t.app)).post('/api/recovery-codes/verify', { code });
      expect(res.status, code).toBe(200);
      expect(res.body).toMatchObject({ remaining: --remaining });
    }
  });

  it('reports the factor while codes remain', async () => {
    const { c } = await signUpWithTotp(t.app);
    expect((await c.get('/api/session')).body).toMatchObject({ factors: ['totp', 'recovery_code'] });
  });

  it('makes a new set after a step-up; the old set stops working', async () => {
    const { c, secret, recoveryCodes: old } = await signUpWithTotp(t.app);
    const res = await c.post<{ codes: string[] }>('/api/recovery-codes');
    expect(res.status).toBe(201);
    expect(res.body.codes).toHaveLength(10);
    expect(res.body.codes.some((code) => old!.includes(code))).toBe(false);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await (await passwordStep(t.app)).post('/api/recovery-codes/verify', { code: old![0] })).status).toBe(401);
    expect((await (await passwordStep(t.app)).post('/api/recovery-codes/verify', { code: res.body.codes[0] })).status).toBe(200);
    nextStep(t.app);
    expect((await verifyTotp(t.app, c, secret)).status).toBe(200);
  });

  it('tells the person’s activity that a new set replaced the old one, unlike the first set', async () => {
    const { c } = await signUpWithTotp(t.app);
    t.app.clock.advance(1000);
    expect((await c.post('/api/recovery-codes')).status).toBe(201);
    const activity = await c.get<{ events: { type: string; replaced: boolean }[] }>('/api/me/activity');
    expect(activity.body.events.filter((e) => e.type === 'recovery_codes.issued').map((e) => e.replaced)).toEqual([true, false]);
    expect(activity.body.events.filter((e) => e.type !== 'recovery_codes.issued').every((e) => e.replaced === false)).toBe(true);
  });

  it('serves as step-up for a signed-in person', async () => {
    const { c, recoveryCodes } = await signUpWithTotp(t.app);
    t.app.clock.advance(300_001);
    expect((await c.post('/api/recovery-codes')).status).toBe(403);
    expect((await c.post('/api/recovery-codes/verify', { code: recoveryCodes![0] })).status).toBe(200);
    expect((await c.post('/api/recovery-codes')).status).toBe(201);
  });

  it('records issue and use in the audit log without the codes', async () => {
    const { recoveryCodes } = await signUpWithTotp(t.app);
    await (await passwordStep(t.app)).post('/api/recovery-codes/verify', { code: recoveryCodes![1] });
    const userId = (await t.storage.users.findByUsername('alice'))!.id;
    const events = await t.storage.audit.listForUser(userId, { limit: 10 });
    expect(events.map((e) => `${e.type}:${e.outcome}`)).toEqual(expect.arrayContaining(['recovery_codes.issued:success', 'signin.recovery_code:success']));
    expect(events.find((e) => e.type === 'signin.recovery_code')?.details).toMatchObject({ remaining: 9 });
    const dump = JSON.stringify(events);
    for (const code of recoveryCodes!) expect(dump).not.toContain(code.replace('-', ''));
  });
});
