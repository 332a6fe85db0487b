// The browser side of the WebAuthn ceremonies, with @simplewebauthn/browser.
import { base64URLStringToBuffer, browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, sendSignal, startAuthentication, startRegistration, WebAuthnAbortService } from '@simplewebauthn/browser';
import { api, ApiError } from '../api.js';

const RP_KEY = 'keyward.rpId';

export const webauthnSupported = (): boolean => browserSupportsWebAuthn();
export const autofillSupported = (): Promise<boolean> => browserSupportsWebAuthnAutofill();

/** Browsers report a lapsed request as NotAllowedError, like a cancel: the time taken tells them apart. */
export class CeremonyTimedOut extends Error {
  override name = 'CeremonyTimedOut';
}

async function timed<T>(timeoutMs: number | undefined, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } catch (err) {
    const lapsed = timeoutMs !== undefined && performance.now() - started >= timeoutMs - 1_000;
    if (err instanceof Error && err.name === 'NotAllowedError' && lapsed) throw new CeremonyTimedOut(err.message, { cause: err });
    throw err;
  }
}

/**
 * Whether the new credential may be synced (a passkey): the authenticator data's backup-eligible
 * flag (bit 3 of the byte after the 32-byte RP id hash), the bit the server reads too. Null when
 * the browser does not expose the authenticator data.
 */
export function syncable(authenticatorData: string | undefined): boolean | null {
  if (!authenticatorData) return null;
  const flags = new Uint8Array(base64URLStringToBuffer(authenticatorData))[32];
  return flags === undefined ? null : (flags & 0x08) !== 0;
}

/** Without a name from the person, `defaultName` words the server's fallback in the page's language. */
export async function registerSecurityKey(name: string | undefined, defaultName: (passkey: boolean) => string) {
  const optionsJSON = await api.webauthnRegistrationOptions(name ? { name } : {});
  if (optionsJSON.rp.id) sessionStorage.setItem(RP_KEY, optionsJSON.rp.id);
  const response = await timed(optionsJSON.timeout, () => startRegistration({ optionsJSON }));
  const passkey = syncable(response.response.authenticatorData);
  return api.webauthnRegistrationVerify({ response, ...(name ? { name } : passkey !== null && { defaultName: defaultName(passkey) }) });
}

/**
 * Second step, step-up, or (nobody pending) a passkey sign-in; `autofill` for conditional UI.
 * Aborting `signal` cancels the browser's prompt (or keeps it from opening, when it comes while
 * the options are still on their way) and rejects with an AbortError.
 */
export async function authenticateWithKey(opts: { autofill?: boolean; signal?: AbortSignal } = {}) {
  const optionsJSON = await api.webauthnAuthenticationOptions();
  if (optionsJSON.rpId) sessionStorage.setItem(RP_KEY, optionsJSON.rpId);
  opts.signal?.throwIfAborted();
  const prompt = startAuthentication({ optionsJSON, useBrowserAutofill: opts.autofill ?? false });
  // Only this ceremony's prompt: once it settled, a later abort must not cancel another one.
  const abort = () => WebAuthnAbortService.cancelCeremony();
  opts.signal?.addEventListener('abort', abort, { once: true });
  const response = await timed(opts.autofill ? undefined : optionsJSON.timeout, () => prompt).finally(() => opts.signal?.removeEventListener('abort', abort));
  try {
    return await api.webauthnAuthenticationVerify({ response });
  } catch (err) {
    // The server no longer knows this credential: ask the browser to stop offering it.
    if (err instanceof ApiError && err.details?.['unknownCredential'] && optionsJSON.rpId) {
      await sendSignal({ signalName: 'unknownCredential', rpID: optionsJSON.rpId, credentialID: response.id }).catch(() => undefined);
    }
    throw err;
  }
}

const userHandle = (userId: string) => btoa(String.fromCharCode(...new TextEncoder().encode(userId))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Tells the browser (WebAuthn Signal API, where offered) which of the user's passkeys still exist. */
export async function signalAcceptedCredentials(userId: string, credentialIds: string[]): Promise<void> {
  const rpID = sessionStorage.getItem(RP_KEY);
  if (!rpID) return;
  const userID = userHandle(userId);
  await sendSignal({ signalName: 'allAcceptedCredentials', rpID, userID, allAcceptedCredentialIDs: credentialIds }).catch(() => undefined);
}

/**
 * When the person's name or display name changed since this browser last said so, tells the
 * passkey provider (currentUserDetails), so its account picker shows the current name.
 */
export async function signalCurrentUserDetails(user: { id: string; username: string; displayName: string }): Promise<void> {
  const rpID = sessionStorage.getItem(RP_KEY);
  if (!rpID) return;
  const key = `keyward.userDetails.${user.id}`;
  const details = `${user.username}\n${user.displayName}`;
  if (localStorage.getItem(key) === details) return;
  await sendSignal({ signalName: 'currentUserDetails', rpID, userID: userHandle(user.id), userName: user.username, userDisplayName: user.displayName })
    .then(() => localStorage.setItem(key, details))
    .catch(() => undefined);
}

export function cancelCeremony(): void {
  WebAuthnAbortService.cancelCeremony();
}
