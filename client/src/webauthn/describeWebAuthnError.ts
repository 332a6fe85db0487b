import { WebAuthnError } from '@simplewebauthn/browser';
import { ApiError } from '../api.js';
import { describeError } from '../messages.js';
import { t } from '../i18n/i18n.js';

/** Plain language for what can go wrong while tapping a key. */
export function describeWebAuthnError(err: unknown): string {
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
  if (err instanceof Error && err.name === 'NotAllowedError') return t('webauthn.notAllowed');
  if (err instanceof Error && err.name === 'NotSupportedError') return t('webauthn.notSupported');
  if (err instanceof ApiError && err.code === 'already_registered') return t('webauthn.previouslyRegistered');
  return describeError(err);
}
