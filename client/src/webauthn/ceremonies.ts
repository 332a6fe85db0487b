// The browser side of the WebAuthn ceremonies, with @simplewebauthn/browser.
import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, sendSignal, startAuthentication, startRegistration, WebAuthnAbortService } from '@simplewebauthn/browser';
import { api, ApiError } from '../api.js';

const RP_KEY = 'keyward.rpId';

export const webauthnSupported = (): boolean => browserSupportsWebAuthn();
export const autofillSupported = (): Promise<boolean> => browserSupportsWebAuthnAutofill();

export async function registerSecurityKey(name?: string) {
  const optionsJSON = await api.webauthnRegistrationOptions(name ? { name } : {});
  if (optionsJSON.rp.id) sessionStorage.setItem(RP_KEY, optionsJSON.rp.id);
  const response = await startRegistration({ optionsJSON });
  return api.webauthnRegistrationVerify({ response, ...(name && { name }) });
}

/** Second step, step-up, or (nobody pending) a passkey sign-in; `autofill` for conditional UI. */
export async function authenticateWithKey(opts: { autofill?: boolean } = {}) {
  const optionsJSON = await api.webauthnAuthenticationOptions();
  if (optionsJSON.rpId) sessionStorage.setItem(RP_KEY, optionsJSON.rpId);
  const response = await startAuthentication({ optionsJSON, useBrowserAutofill: opts.autofill ?? false });
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

/** Tells the browser (WebAuthn Signal API, where offered) which of the user's passkeys still exist. */
export async function signalAcceptedCredentials(userId: string, credentialIds: string[]): Promise<void> {
  const rpID = sessionStorage.getItem(RP_KEY);
  if (!rpID) return;
  const userID = btoa(String.fromCharCode(...new TextEncoder().encode(userId))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  await sendSignal({ signalName: 'allAcceptedCredentials', rpID, userID, allAcceptedCredentialIDs: credentialIds }).catch(() => undefined);
}

export function cancelCeremony(): void {
  WebAuthnAbortService.cancelCeremony();
}
