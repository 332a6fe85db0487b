import { WebAuthnError } from '@simplewebauthn/browser';
import { ApiError } from '../api.js';
import { describeError } from '../messages.js';

/** Plain language for what can go wrong while tapping a key. */
export function describeWebAuthnError(err: unknown): string {
  if (err instanceof WebAuthnError) {
    switch (err.code) {
      case 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED':
        return 'This security key is already registered to your account.';
      case 'ERROR_CEREMONY_ABORTED':
        return 'The request to your security key was cancelled.';
      case 'ERROR_INVALID_DOMAIN':
      case 'ERROR_INVALID_RP_ID':
        return 'Security keys cannot be used on this address. Open Keyward at its configured address.';
      case 'ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT':
        return 'This security key cannot verify you (no PIN or fingerprint). Use another key.';
      case 'ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG':
        return 'This security key does not support the required algorithms. Use another key.';
      default:
        break;
    }
  }
  if (err instanceof Error && err.name === 'NotAllowedError') {
    return 'The security key did not respond, or the request was cancelled or timed out. Try again.';
  }
  if (err instanceof Error && err.name === 'NotSupportedError') {
    return 'This browser does not support security keys. Use an authenticator code instead.';
  }
  if (err instanceof ApiError && err.code === 'already_registered') return 'This security key is already registered.';
  // Browsers without the Signal API keep offering a key removed here: say so, not "try again".
  if (err instanceof ApiError && err.details?.['unknownCredential']) return 'This key is no longer registered here: use another way.';
  if (err instanceof ApiError && err.code === 'webauthn_verification_failed') {
    return 'That security key could not be verified. Try again, or use another way to confirm.';
  }
  return describeError(err);
}
