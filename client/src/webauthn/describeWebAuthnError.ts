import { WebAuthnError } from '@simplewebauthn/browser';
import { ApiError } from '../api.js';
import { describeError } from '../messages.js';
import { t, type MessageKey } from '../i18n/i18n.js';
import { CeremonyTimedOut } from './ceremonies.js';

/** What the person was doing: signing in with a passkey, confirming with a key, or adding one. */
export type CeremonyContext = 'passkey' | 'verify' | 'register';

const NOT_ALLOWED: Record<CeremonyContext, MessageKey> = {
  passkey: 'webauthn.cancelledPasskey',
  verify: 'webauthn.cancelledVerify',
  register: 'webauthn.cancelledRegister',
};

/** Plain language for what can go wrong while tapping a key, told apart as far as the browser lets us. */
export function describeWebAuthnError(err: unknown, context: CeremonyContext): string {
  if (err instanceof CeremonyTimedOut) return t('webauthn.timedOut');
  if (err instanceof WebAuthnError) {
    switch (err.code) {
      case 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED':
        return t('webauthn.previouslyRegistered');
      case 'ERROR_CEREMONY_ABORTED':
        return t('webauthn.aborted');
      case 'ERROR_INVALID_DOMAIN':
      case 'ERROR_INVALID_RP_ID':
        return t('webauthn.invalidDomain');
      case 'ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT':
        return t('webauthn.noUserVerification');
      case 'ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG':
        return t('webauthn.noAlgorithm');
      default:
        break;
    }
  }
  if (err instanceof Error && err.name === 'InvalidStateError') return t('webauthn.previouslyRegistered');
  if (err instanceof Error && err.name === 'NotAllowedError') return t(NOT_ALLOWED[context]);
  if (err instanceof Error && err.name === 'NotSupportedError') return t('webauthn.notSupported');
  if (err instanceof ApiError && err.code === 'already_registered') return t('webauthn.previouslyRegistered');
  // Browsers without the Signal API keep offering a key removed here: say so, not "try again".
  if (err instanceof ApiError && err.details?.['unknownCredential']) return t('webauthn.unknownCredential');
  return describeError(err);
}
