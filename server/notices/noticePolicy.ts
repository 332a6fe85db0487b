// Which security events the person hears about, and in what words. Derived from the audit
// trail, so every place that records an event also gets the notice, and none is forgotten.
import type { AuditEvent } from '../storage/port.js';

export interface NoticeText {
  type: string;
  message: string;
}

// With the article: "An authenticator app", never "A authenticator app".
const A_FACTOR: Record<string, string> = { webauthn: 'A security key', totp: 'An authenticator app' };

/** Recovery codes left at or below this many earn a warning. */
export const LOW_RECOVERY_CODES = 3;

export function noticesFor(e: AuditEvent): NoticeText[] {
  if (!e.userId) return [];
  const factor = A_FACTOR[String(e.details['factor'])] ?? 'A second factor';
  switch (`${e.type}/${e.outcome}`) {
    case 'factor.added/success':
      return [{ type: 'factor.added', message: `${factor} was added to your account.` }];
    case 'factor.removed/success':
      // An authenticator app whose set-up was never confirmed never protected the account.
      if (e.details['confirmed'] === false) return [];
      return [{ type: 'factor.removed', message: `${factor} was removed from your account.` }];
    case 'recovery_codes.issued/success':
      if (e.details['reason'] !== 'regenerated') return [];
      return [{ type: 'recovery_codes.regenerated', message: 'A new set of recovery codes was made for your account; the old codes no longer work.' }];
    case 'signin.recovery_code/success': {
      const remaining = Number(e.details['remaining']);
      const out = e.details['reset'] === true
        ? [{ type: 'recovery_code.used_to_reset', message: 'A recovery code was used to confirm a password reset of your account.' }]
        : e.details['stepUp'] === true
        ? [{ type: 'recovery_code.used_to_confirm', message: 'A recovery code was used to confirm a change to your account.' }]
        : [{ type: 'recovery_code.used', message: 'A recovery code was used to sign in to your account.' }];
      if (Number.isFinite(remaining) && remaining <= LOW_RECOVERY_CODES) {
        out.push({ type: 'recovery_codes.low', message: `Only ${remaining} recovery codes are left. Generate a new set in your security settings.` });
      }
      return out;
    }
    case 'webauthn.counter_regressed/failure':
      return [{ type: 'key.clone_suspected', message: 'One of your security keys looked copied and was refused. Check your keys in your security settings.' }];
    case 'webauthn.model_revoked/info':
      return [{ type: 'key.model_revoked', message: `Your security key "${String(e.details['name'])}" (${String(e.details['model'])}) is of a model reported as no longer safe (${String(e.details['status'])}). Add another key, then remove this one in your security settings.` }];
    case 'lockout/info':
      return [{ type: 'lockout', message: 'Sign-in to your account was paused after repeated failed attempts.' }];
    case 'password.changed/success':
      return [{ type: 'password.changed', message: 'Your password was changed, and your other sessions were signed out.' }];
    case 'password.reset/success':
      return [{ type: 'password.reset', message: 'Your password was reset with a link sent to your address and one of your second factors, and your other sessions were signed out.' }];
    case 'admin.reset_mfa/success':
      return [{ type: 'mfa.reset', message: 'An administrator removed your second factors and your password. Use the link they give you to set a new password and a new second factor.' }];
    default:
      return [];
  }
}
