// Keyward's part of an interaction's result, read by the interaction routes and the provider's
// policy. Its own file because the routes are loaded at start and the policy (with
// oidc-provider) only when single sign-on is first served.
/** Keyward's part of an interaction's result (interactionRoutes.ts). */
export interface KeywardResult {
  /** The person was asked to prove it is them again (prompt=login, max_age): their latest authentication then, in ms. */
  reauthFrom?: number;
  /** The person was sent to the verify page once for a higher level. */
  steppedUp?: boolean;
  /** The level preference was dealt with: the authorization goes on at the level there is. */
  settled?: boolean;
}

export const keywardResult = (result: unknown): KeywardResult => ((result as { keyward?: KeywardResult } | undefined)?.keyward ?? {});
