import { describe, expect, it } from 'vitest';
import { afterPasskey, afterPassword, afterSecondFactor, isStepUpFresh, readSession } from '../../server/session/sessionState.js';

const policy = { mfaRequired: true, pendingMfaMaxAgeMs: 300_000 };
const t0 = 1_800_000_000_000;

describe('session state machine', () => {
  it('reads an empty session as anonymous at aal 0', () => {
    expect(readSession(undefined, t0, policy)).toEqual({ status: 'anonymous', userId: null, aal: 0, amr: [] });
  });

  it('asks for the second factor after a password when the user has one', () => {
    const s = afterPassword('u1', ['webauthn', 'totp'], t0, policy);
    expect(readSession(s, t0, policy)).toMatchObject({ status: 'mfa_required', aal: 1, amr: ['pwd'] });
  });

  it('asks a user without factors to enroll when MFA is required, or signs them in at aal 1 when not', () => {
    expect(readSession(afterPassword('u1', [], t0, policy), t0, policy).status).toBe('enroll_required');
    const relaxed = { ...policy, mfaRequired: false };
    expect(readSession(afterPassword('u1', [], t0, relaxed), t0, relaxed)).toMatchObject({ status: 'authenticated', aal: 1 });
  });

  it('lets the pending second step lapse after 5 minutes', () => {
    const s = afterPassword('u1', ['totp'], t0, policy);
    expect(readSession(s, t0 + 300_000, policy).status).toBe('mfa_required');
    expect(readSession(s, t0 + 300_001, policy)).toMatchObject({ status: 'anonymous', aal: 0 });
  });

  it('reaches aal 2 with a second factor and records when, for step-up', () => {
    const s = afterSecondFactor(afterPassword('u1', ['totp'], t0, policy), 'otp', t0 + 1000);
    const v = readSession(s, t0 + 1000, policy);
    expect(v).toMatchObject({ status: 'authenticated', aal: 2, amr: ['pwd', 'otp'], stepUpAt: t0 + 1000 });
    expect(isStepUpFresh(v, t0 + 1000 + 300_000, 300_000)).toBe(true);
    expect(isStepUpFresh(v, t0 + 1000 + 300_001, 300_000)).toBe(false);
  });

  it('counts a passkey with user verification as aal 2 on its own', () => {
    expect(readSession(afterPasskey('u1', t0), t0, policy)).toMatchObject({ status: 'authenticated', aal: 2, amr: ['hwk', 'user'] });
  });

  it('never treats aal 1 as a fresh step-up', () => {
    const v = readSession(afterPassword('u1', [], t0, policy), t0, policy);
    expect(isStepUpFresh(v, t0, 300_000)).toBe(false);
  });
});
