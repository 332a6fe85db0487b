// Re-seals every TOTP secret with the current (first) key, so older keys can then be
// removed from TOTP_ENCRYPTION_KEYS. Safe to run while Keyward serves requests and to run
// again: each row is replaced only if its ciphertext is still the one that was read.
import type { TotpStore } from '../storage/port.js';
import type { SecretSealer } from './createSecretSealer.js';

export interface RotationReport {
  examined: number;
  rotated: number;
  alreadyCurrent: number;
  /** Changed by someone else between read and write (removed, or rotated elsewhere): run again. */
  changedMeanwhile: number;
  /** Ids whose secret no configured key opens; they stay as they are. */
  unreadable: string[];
}

const PAGE = 200;

export async function rotateTotpKeys(deps: { store: TotpStore; sealer: SecretSealer }): Promise<RotationReport> {
  const report: RotationReport = { examined: 0, rotated: 0, alreadyCurrent: 0, changedMeanwhile: 0, unreadable: [] };
  let after: string | null = null;
  for (;;) {
    const page = await deps.store.listPage(after, PAGE);
    for (const a of page) {
      report.examined += 1;
      if (deps.sealer.isCurrent(a.secret)) {
        report.alreadyCurrent += 1;
        continue;
      }
      const secret = deps.sealer.open(a.userId, a.secret);
      if (!secret) {
        report.unreadable.push(a.id);
        continue;
      }
      const next = deps.sealer.seal(a.userId, secret);
      if (await deps.store.replaceSecret(a.id, a.secret, next)) report.rotated += 1;
      else report.changedMeanwhile += 1;
    }
    if (page.length < PAGE) return report;
    after = page[page.length - 1]!.id;
  }
}
