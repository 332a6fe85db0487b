import { ApiError } from './api.js';
import { t, type MessageKey } from './i18n/i18n.js';

// The server answers in English; the page speaks the person's language, so it words
// every failure itself from the error code (the server's message is never shown).
const BY_CODE: Record<string, MessageKey> = {
  network: 'error.network',
  invalid_request: 'error.invalid_request',
  unauthenticated: 'error.unauthenticated',
  invalid_credentials: 'error.invalid_credentials',
  invalid_code: 'error.invalid_code',
  webauthn_verification_failed: 'error.webauthn_verification_failed',
  mfa_required: 'error.mfa_required',
  step_up_required: 'error.step_up_required',
  forbidden: 'error.forbidden',
  not_found: 'error.not_found',
  method_not_allowed: 'error.method_not_allowed',
  username_taken: 'error.username_taken',
  email_taken: 'error.email_taken',
  already_registered: 'error.already_registered',
  last_factor: 'error.last_factor',
  payload_too_large: 'error.payload_too_large',
  unsupported_media_type: 'error.unsupported_media_type',
  internal_error: 'error.internal_error',
  unavailable: 'error.unavailable',
  step_up_cancelled: 'error.step_up_cancelled',
};

/** Plain-language text for an API failure. */
export function describeError(err: unknown): string {
  if (!(err instanceof ApiError)) return t('error.unknown');
  if (err.code === 'too_many_attempts') {
    return err.retryAfter ? t('error.too_many_attempts', { wait: formatWait(err.retryAfter) }) : t('error.too_many_attempts_unknown');
  }
  const key = BY_CODE[err.code];
  return key ? t(key) : t('error.unknown');
}

/** Every code the client words: the catalogue test checks it covers the server's list. */
export const describedErrorCodes = (): string[] => Object.keys(BY_CODE).concat('too_many_attempts');

function formatWait(seconds: number): string {
  return seconds < 90 ? t('wait.seconds', { n: seconds }) : t('wait.minutes', { n: Math.ceil(seconds / 60) });
}
