// What a Keyward session means in OpenID Connect terms: acr (NIST assurance level), amr
// (RFC 8176 method references) and auth_time, and the level a client's request needs.
// Pure functions over the session view, so the rules read (and test) apart from HTTP.
import type { Amr, SessionView } from '../session/sessionState.js';

export type AcrValue = 'aal1' | 'aal2' | 'aal3';
export const ACR_VALUES: AcrValue[] = ['aal1', 'aal2', 'aal3'];

/**
 * The acr values discovery offers: aal3 only when a sign-in can reach it, which takes
 * attestation checked against the FIDO metadata (ATTESTATION_POLICY=mds, docs/hardware-keys.md).
 */
export const supportedAcrValues = (attestationPolicy: string): AcrValue[] => (attestationPolicy === 'mds' ? ACR_VALUES : ['aal1', 'aal2']);

/** Keyward's method names in RFC 8176's registry. */
const RFC8176: Record<Amr, string> = {
  pwd: 'pwd',
  // A security key or passkey: proof of possession of a hardware-protected key.
  hwk: 'hwk',
  // A synced passkey: its private key lives in software that copies it between devices.
  swk: 'swk',
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

export type Level = 1 | 2 | 3;

/**
 * What a request asks of the sign-in's level. acr_values is a preference list (OIDC Core
 * §3.1.2.1): its highest level is reached for when the person can, never required. Only the
 * client's requireAal and an essential acr claim (claims={"id_token":{"acr":{"essential":
 * true,"values":[...]}}}) bind: below `floor` the authorization fails.
 */
export interface AcrRequest {
  /** Below this the request fails (Infinity: an essential acr no level of Keyward's can meet). */
  floor: number;
  /** The highest level named: stepped up to when the person holds a factor for it. */
  wanted: number;
  /** An essential acr claim's values (the issued acr must be one of them), else null. */
  essential: Level[] | null;
}

const levelOf = (v: unknown): Level | null => (v === 'aal1' ? 1 : v === 'aal2' ? 2 : v === 'aal3' ? 3 : null);
const levelsOf = (vs: unknown[]): Level[] => vs.map(levelOf).filter((l): l is Level => l !== null);

/** The claims parameter's id_token.acr member, from the parsed object or the raw JSON text. */
function acrClaim(claims: unknown): { essential?: unknown; value?: unknown; values?: unknown } | null {
  let parsed = claims;
  if (typeof claims === 'string') {
    try {
      parsed = JSON.parse(claims);
    } catch {
      return null;
    }
  }
  const acr = (parsed as { id_token?: { acr?: unknown } } | null | undefined)?.id_token?.acr;
  return acr && typeof acr === 'object' ? (acr as { essential?: unknown; value?: unknown; values?: unknown }) : null;
}

export function acrRequest(params: { acr_values?: unknown; claims?: unknown }, clientFloor: unknown): AcrRequest {
  const clientLevel = clientFloor === 3 ? 3 : clientFloor === 2 ? 2 : 1;
  const preferred = typeof params.acr_values === 'string' ? levelsOf(params.acr_values.split(' ')) : [];
  const claim = acrClaim(params.claims);
  const claimed = claim ? levelsOf(Array.isArray(claim.values) ? claim.values : [claim.value]) : [];
  if (claim?.essential === true) {
    // Levels below the client's own floor are not on offer.
    const essential = claimed.filter((l) => l >= clientLevel);
    const floor = essential.length ? Math.min(...essential) : Infinity;
    return { floor, wanted: Math.max(floor, ...essential, ...preferred), essential };
  }
  return { floor: clientLevel, wanted: Math.max(clientLevel, ...preferred, ...claimed), essential: null };
}

/** The level a session proves now: 0 unless fully signed in. */
export function sessionLevel(view: SessionView | undefined): 0 | Level {
  if (!view || view.status !== 'authenticated' || !view.userId) return 0;
  return view.aal;
}

/**
 * The acr to issue for a session at `level`: its own, or with an essential acr claim the
 * highest listed value it meets (aal 3 meets a request for aal 2), which oidc-provider checks.
 */
export function acrToIssue(level: Level, request: AcrRequest): AcrValue {
  const met = request.essential?.filter((l) => l <= level) ?? [];
  const issued = request.essential && met.length ? Math.max(...met) : level;
  return ACR_VALUES[issued - 1]!;
}
