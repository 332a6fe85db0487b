import { ApiError } from './api.js';

/** Plain-language text for an API failure. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    switch (err.code) {
      case 'invalid_credentials':
        return 'That username and password do not match. Check them and try again.';
      case 'username_taken':
        return 'That username is taken. Pick another one, or sign in if it is yours.';
      case 'too_many_attempts':
        return `Too many attempts. Wait ${err.retryAfter ? formatWait(err.retryAfter) : 'a while'} and try again.`;
      case 'unavailable':
        return 'Keyward cannot reach its database right now. Try again in a moment.';
      default:
        return err.message;
    }
  }
  return 'Something went wrong. Try again.';
}

function formatWait(seconds: number): string {
  return seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}
