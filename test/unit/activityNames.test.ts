// A person's activity names every event in words: each kind the server can record
// (server/audit/auditEventKinds.ts, the list AuditLog.record accepts) has a name in every
// language of the client's catalogue, so none is ever shown as "Other event (some.code)".
import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_KINDS } from '../../server/audit/auditEventKinds.js';
import { en } from '../../client/src/i18n/en.js';
import { de } from '../../client/src/i18n/de.js';

const catalogues: Record<string, Record<string, string>> = { en, de };

describe('activity names', () => {
  it.each(Object.keys(catalogues))('names every audit event kind the server records in %s', (lang) => {
    const missing = AUDIT_EVENT_KINDS.filter((kind) => !(`activity.${kind}` in catalogues[lang]!));
    expect(missing).toEqual([]);
  });

  it('has no name for a kind the server never records (a renamed kind leaves no stale words)', () => {
    const fixed = new Set(['title', 'none', 'when', 'what', 'from', 'older', 'failed', 'other', 'recovery_codes.replaced']);
    const kinds = new Set<string>(AUDIT_EVENT_KINDS);
    const stale = Object.keys(en)
      .filter((k) => k.startsWith('activity.') && !k.startsWith('activity.stepUp.'))
      .map((k) => k.slice('activity.'.length))
      .filter((k) => !fixed.has(k) && !kinds.has(k));
    expect(stale).toEqual([]);
  });
});
