// Passkeys that stand in for a password: creating one for a new account (sign-up, an
// enrolment link, a forgotten password) and confirming it is you with one (removing the
// password needs a passkey, not any second factor).
import { startAuthentication, startRegistration, type PublicKeyCredentialCreationOptionsJSON, type RegistrationResponseJSON } from '@simplewebauthn/browser';
import { api } from '../api.js';
import { t } from '../i18n/i18n.js';
import { syncable } from './ceremonies.js';

/**
 * Asks the browser for a new passkey with `options`, then hands the answer to `finish`, with
 * the page's name for it ("Passkey 1") in case the model has none.
 */
export async function createPasskey<T>(options: () => Promise<PublicKeyCredentialCreationOptionsJSON>, finish: (response: RegistrationResponseJSON, defaultName: string) => Promise<T>): Promise<T> {
  const optionsJSON = await options();
  const response = await startRegistration({ optionsJSON });
  // A key bound to one device is named as one ("Security key 1"), as in settings.
  return finish(response, t('keys.defaultName', { kind: syncable(response.response.authenticatorData) === false ? 'key' : 'passkey', n: 1 }));
}

/** A step-up with any passkey of the signed-in person (usernameless, user verification required). */
export async function confirmWithPasskey(): Promise<void> {
  const optionsJSON = await api.webauthnAuthenticationOptions({ passkey: true });
  const response = await startAuthentication({ optionsJSON });
  await api.webauthnAuthenticationVerify({ response });
}
