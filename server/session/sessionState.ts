// The session state machine, as pure functions over the data kept in the session:
//
//   anonymous --password--> mfa_required --second factor--> authenticated (aal 2)
//                       \-> enroll_required (no factor yet, MFA_REQUIRED) --first factor confirmed--> authenticated (aal 2)
//                       \-> authenticated (aal 1, only when MFA is not required and no factor exists)
//
// A forgotten password (server/passwordReset/):
//   anonymous --reset link--> reset_required --second factor--> reset_password --new password--> authenticated
// Neither reset stage is signed in to anything (aal 0): the link proves a mailbox, the factor
// proves the person, and only the two together let them choose a new password.
//
// A pending step (mfa_required, either reset stage) lapses after PENDING_MFA_MAX_AGE and reads as anonymous.

import type { Language } from '../language.js';

export type Factor = 'webauthn' | 'totp' | 'recovery_code';
export type SessionStatus = 'anonymous' | 'mfa_required' | 'enroll_required' | 'authenticated' | 'reset_required' | 'reset_password';
/** 3: NIST SP 800-63B AAL3, a hardware-bound key of a certified model (server/webauthn/assuranceLevel.ts). */
export type Aal = 0 | 1 | 2 | 3;
/** RFC 8176 authentication method references (swk: a synced passkey, a software-secured key). */
export type Amr = 'pwd' | 'hwk' | 'swk' | 'otp' | 'rec' | 'user';

export interface SessionData {
  userId?: string;
  stage?: Exclude<SessionStatus, 'anonymous'>;
  aal?: Aal;
  amr?: Amr[];
  /** When the first factor (password or passkey) succeeded. */
  authenticatedAt?: number;
  /** When a second factor last succeeded. */
  stepUpAt?: number;
  /**
   * When a passkey last signed in or stepped up here: usernameless (so discoverable) and with
   * user verification. Removing the password asks for it to be recent.
   */
  passkeyAt?: number;
  /** Random value that binds WebAuthn challenges to this session (reset at every privilege change). */
  binding?: string;
  /** reset_password: the level the second factor of the reset proved, given once the password is set. */
  resetAal?: 2 | 3;
  /** The id a new account will have once the passkey being created for it verifies (passkey sign-up). */
  passkeySignUp?: string;
  /** The page language last stored for the account from this session (server/http/rememberLanguage.ts). */
  language?: Language;
}

export interface SessionView {
  status: SessionStatus;
  userId: string | null;
  aal: Aal;
  amr: Amr[];
  authenticatedAt?: number;
  stepUpAt?: number;
  passkeyAt?: number;
}

const ANONYMOUS: SessionView = { status: 'anonymous', userId: null, aal: 0, amr: [] };

export interface StatePolicy {
  mfaRequired: boolean;
  pendingMfaMaxAgeMs: number;
}

/** What the stored data means at `now`. */
export function readSession(data: SessionData | null | undefined, now: number, policy: StatePolicy): SessionView {
  if (!data?.userId || !data.stage || data.aal === undefined) return ANONYMOUS;
  if (data.stage === 'mfa_required' && now - (data.authenticatedAt ?? 0) > policy.pendingMfaMaxAgeMs) return ANONYMOUS;
  if (data.stage === 'reset_required' && now - (data.authenticatedAt ?? 0) > policy.pendingMfaMaxAgeMs) return ANONYMOUS;
  if (data.stage === 'reset_password' && now - (data.stepUpAt ?? 0) > policy.pendingMfaMaxAgeMs) return ANONYMOUS;
  return {
    status: data.stage,
    userId: data.userId,
    aal: data.aal,
    amr: data.amr ?? [],
    ...(data.authenticatedAt !== undefined && { authenticatedAt: data.authenticatedAt }),
    ...(data.stepUpAt !== undefined && { stepUpAt: data.stepUpAt }),
    ...(data.passkeyAt !== undefined && { passkeyAt: data.passkeyAt }),
  };
}

/** The password was right: what happens next depends on the factors the user has. */
export function afterPassword(userId: string, factors: Factor[], now: number, policy: StatePolicy): SessionData {
  const stage = factors.length > 0 ? 'mfa_required' : policy.mfaRequired ? 'enroll_required' : 'authenticated';
  return { userId, stage, aal: 1, amr: ['pwd'], authenticatedAt: now };
}

/** A second factor succeeded (at sign-in, at first enrollment, or as step-up). */
export function afterSecondFactor(data: SessionData, method: Amr, now: number, aal: 2 | 3 = 2): SessionData {
  const amr = [...new Set([...(data.amr ?? []), method])];
  // A later, weaker step-up (an authenticator code) does not take aal 3 away.
  return { ...data, stage: 'authenticated', aal: Math.max(data.aal ?? 0, aal) as Aal, amr, stepUpAt: now };
}

/**
 * A passkey with user verification is two factors in one: aal 2 without a password. `key`:
 * hwk for a device-bound key, swk for a synced passkey (server/webauthn/keyMethod.ts).
 */
export function afterPasskey(userId: string, now: number, aal: 2 | 3 = 2, key: 'hwk' | 'swk' = 'hwk'): SessionData {
  return { userId, stage: 'authenticated', aal, amr: [key, 'user'], authenticatedAt: now, stepUpAt: now, passkeyAt: now };
}

/** A signed-in person stepped up with a passkey (usernameless, user verified): a step-up that also proves the passkey. */
export function afterPasskeyStepUp(data: SessionData, now: number, aal: 2 | 3, key: 'hwk' | 'swk'): SessionData {
  const stepped = afterSecondFactor(data, key, now, aal);
  return { ...stepped, amr: [...new Set([...(stepped.amr ?? []), 'user' as const])], passkeyAt: now };
}

/** Whether a passkey signed in or stepped up within `maxAgeMs` (removing the password needs it). */
export function isPasskeyFresh(view: SessionView, now: number, maxAgeMs: number): boolean {
  return view.passkeyAt !== undefined && now - view.passkeyAt <= maxAgeMs;
}

export function isStepUpFresh(view: SessionView, now: number, maxAgeMs: number): boolean {
  return view.aal >= 2 && view.stepUpAt !== undefined && now - view.stepUpAt <= maxAgeMs;
}

/** A password-reset link was opened: the account's second factor comes next (aal 0 meanwhile). */
export function afterResetLink(userId: string, now: number): SessionData {
  return { userId, stage: 'reset_required', aal: 0, amr: [], authenticatedAt: now };
}

/** The reset's second factor succeeded: a new password may be set, and nothing else. */
export function afterResetFactor(data: SessionData, method: Amr, now: number, aal: 2 | 3): SessionData {
  return { ...data, stage: 'reset_password', aal: 0, amr: [method], stepUpAt: now, resetAal: aal };
}

/** The new password is set: signed in at the level the reset's second factor proved. */
export function afterPasswordReset(data: SessionData, now: number): SessionData {
  const amr = [...new Set<Amr>(['pwd', ...(data.amr ?? [])])];
  return { userId: data.userId!, stage: 'authenticated', aal: data.resetAal ?? 2, amr, authenticatedAt: now, stepUpAt: now };
}
