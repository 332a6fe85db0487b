// The closed list of error codes the API answers with, and their HTTP statuses.
// Expected negatives inside use cases are values; anything that must reach the client
// as an error is a KeywardError, mapped to HTTP by one middleware (http/errorHandler.ts).

export const ERROR_STATUS = {
  invalid_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  invalid_code: 401,
  webauthn_verification_failed: 401,
  mfa_required: 403,
  step_up_required: 403,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  username_taken: 409,
  email_taken: 409,
  already_registered: 409,
  last_factor: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_attempts: 429,
  internal_error: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

const DEFAULT_MESSAGE: Record<ErrorCode, string> = {
  invalid_request: 'The request is not valid.',
  unauthenticated: 'Sign in first.',
  invalid_credentials: 'Wrong username or password.',
  invalid_code: 'That code did not work.',
  webauthn_verification_failed: 'The security key could not be verified.',
  mfa_required: 'A second factor is needed first.',
  step_up_required: 'Confirm it is you with a second factor first.',
  forbidden: 'You are not allowed to do that.',
  not_found: 'Not found.',
  method_not_allowed: 'This route does not take that method.',
  username_taken: 'That username is taken.',
  email_taken: 'That e-mail address belongs to another account: one address, one account.',
  already_registered: 'That is already registered.',
  last_factor: 'This is your only second factor: add a replacement before removing it.',
  payload_too_large: 'The request body is too large.',
  unsupported_media_type: 'Send JSON (Content-Type: application/json).',
  too_many_attempts: 'Too many attempts. Try again later.',
  internal_error: 'Something went wrong on our side.',
  unavailable: 'The service is temporarily unavailable. Try again shortly.',
};

export class KeywardError extends Error {
  override name = 'KeywardError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
    options?: { cause?: unknown },
  ) {
    super(message ?? DEFAULT_MESSAGE[code], options);
    this.status = ERROR_STATUS[code];
  }
}

/** Thrown by storage adapters when the database cannot be reached in time. */
export function unavailable(cause: unknown): KeywardError {
  return new KeywardError('unavailable', undefined, undefined, { 'Retry-After': '5' }, { cause });
}
