// Which security events the person hears about, and in what words. Derived from the audit
// trail, so every place that records an event also gets the notice, and none is forgotten.
// The words are catalogue keys (server/mail/mailCatalogue.ts): each reader gets their language.
import type { AuditEvent } from '../storage/port.js';
import type { MailKey, MailWords } from '../mail/mailCatalogue.js';

export interface NoticeText {
  type: string;
  words: MailWords;
}

type FactorWord = 'webauthn' | 'totp' | 'other';
const factorWord = (f: unknown): FactorWord => (f === 'webauthn' || f === 'totp' ? f : 'other');

/** Recovery codes left at or below this many earn a warning. */
export const LOW_RECOVERY_CODES = 3;

const notice = (type: string, key: MailKey, values?: Record<string, string>): NoticeText => ({ type, words: { key, ...(values && { values }) } });

export function noticesFor(e: AuditEvent): NoticeText[] {
  if (!e.userId) return [];
  const factor = factorWord(e.details['factor']);
  switch (`${e.type}/${e.outcome}`) {
    case 'factor.added/success':
      return [notice('factor.added', `notice.factor.added.${factor}` as const)];
    case 'factor.removed/success':
      // An authenticator app whose set-up was never confirmed never protected the account.
      if (e.details['confirmed'] === false) return [];
      return [notice('factor.removed', `notice.factor.removed.${factor}` as const)];
    case 'recovery_codes.issued/success':
      if (e.details['reason'] !== 'regenerated') return [];
      return [notice('recovery_codes.regenerated', 'notice.recovery_codes.regenerated')];
    case 'signin.recovery_code/success': {
      const remaining = Number(e.details['remaining']);
      const out = [
        e.details['reset'] === true
          ? notice('recovery_code.used_to_reset', 'notice.recovery_code.used_to_reset')
          : e.details['stepUp'] === true
          ? notice('recovery_code.used_to_confirm', 'notice.recovery_code.used_to_confirm')
          : notice('recovery_code.used', 'notice.recovery_code.used'),
      ];
      if (Number.isFinite(remaining) && remaining <= LOW_RECOVERY_CODES) {
        out.push(notice('recovery_codes.low', remaining === 1 ? 'notice.recovery_codes.low.one' : 'notice.recovery_codes.low.other', { remaining: String(remaining) }));
      }
      return out;
    }
    case 'webauthn.counter_regressed/failure':
      return [notice('key.clone_suspected', 'notice.key.clone_suspected')];
    case 'webauthn.model_revoked/info':
      return [notice('key.model_revoked', 'notice.key.model_revoked', { name: String(e.details['name']), model: String(e.details['model']), status: String(e.details['status']) })];
    case 'lockout/info':
      return [notice('lockout', 'notice.lockout')];
    case 'password.changed/success':
      return [notice('password.changed', 'notice.password.changed')];
    case 'password.removed/success':
      return [notice('password.removed', 'notice.password.removed')];
    case 'password.set/success':
      return [notice('password.set', 'notice.password.set')];
    case 'password.reset/success':
      return [notice('password.reset', 'notice.password.reset')];
    case 'admin.reset_mfa/success':
      return [notice('mfa.reset', 'notice.mfa.reset')];
    default:
      return [];
  }
}
