// What a Keyward session means in OpenID Connect terms: acr (NIST assurance level), amr
// (RFC 8176 method references) and auth_time, and the level a client's request needs.
// Pure functions over the session view, so the rules read (and test) apart from HTTP.
import type { Amr, SessionView } from '../session/sessionState.js';

export type AcrValue = 'aal1' | 'aal2' | 'aal3';
export const ACR_VALUES: AcrValue[] = ['aal1', 'aal2', 'aal3'];

/** Keyward's method names in RFC 8176's registry. */
const RFC8176: Record<Amr, string> = {
  pwd: 'pwd',
  // A security key or passkey: proof of possession of a hardware-protected key.
  hwk: 'hwk',
  otp: 'otp',
  // A recovery code is a one-time password from a printed list.
  rec: 'otp',
  // User verification on the key (PIN or biometric).
  user: 'user',
};

export function amrFor(view: SessionView): string[] {
  const methods = [...new Set(view.amr.map((m) => RFC8176[m]))];
  // RFC 8176 "mfa": more than one factor, which is what aal 2 means in Keyward.
  return view.aal >= 2 ? [...methods, 'mfa'] : methods;
}

export function acrFor(view: SessionView): AcrValue {
  return view.aal >= 3 ? 'aal3' : view.aal >= 2 ? 'aal2' : 'aal1';
}

/**
 * When the person last authenticated, in seconds: the first factor, or a later second-factor
 * verification (a step-up is an authentication, and max_age is about the latest one).
 */
export function authTimeFor(view: SessionView): number {
  const ms = Math.max(view.authenticatedAt ?? 0, view.stepUpAt ?? 0);
  return Math.floor(ms / 1000);
}

/** The level a request needs: the client's floor, raised by acr_values=aal2 or aal3. */
export function requiredAal(acrValues: unknown, clientFloor: unknown): 1 | 2 | 3 {
  const asked = typeof acrValues === 'string' ? acrValues.split(' ') : [];
  if (asked.includes('aal3') || clientFloor === 3) return 3;
  return asked.includes('aal2') || clientFloor === 2 ? 2 : 1;
}

/** The signed-in Keyward user, when the session is a full sign-in at `aal` or above. */
export function signedInAt(view: SessionView | undefined, aal: 1 | 2 | 3): string | null {
  if (!view || view.status !== 'authenticated' || !view.userId) return null;
  return view.aal >= aal ? view.userId : null;
}
