// Re-seals every TOTP secret, and every token signing key, with the current (first) key,
// so older keys can then be removed from TOTP_ENCRYPTION_KEYS. Safe to run while Keyward
// serves requests and to run again: each row is replaced only if its ciphertext is still
// the one that was read. Re-sealing a signing key leaves the key itself (and its kid) as it
// was, so tokens it signed keep verifying.
import type { SealedSecret, SigningKeyStore, TotpStore } from '../storage/port.js';
import { signingKeySubject } from '../protect/createSigningKeyRing.js';
import type { SecretSealer } from './createSecretSealer.js';

export interface RotationReport {
  examined: number;
  rotated: number;
  alreadyCurrent: number;
  /** Changed by someone else between read and write (removed, or rotated elsewhere): run again. */
  changedMeanwhile: number;
  /** Ids whose secret no configured key opens (signing keys as `signing key <kid>`); they stay as they are. */
  unreadable: string[];
}

type Outcome = 'rotated' | 'alreadyCurrent' | 'changedMeanwhile' | 'unreadable';

async function reseal(sealer: SecretSealer, subject: string, sealed: SealedSecret, replace: (next: SealedSecret) => Promise<boolean>): Promise<Outcome> {
  if (sealer.isCurrent(sealed)) return 'alreadyCurrent';
  const plain = sealer.open(subject, sealed);
  if (!plain) return 'unreadable';
  return (await replace(sealer.seal(subject, plain))) ? 'rotated' : 'changedMeanwhile';
}

const PAGE = 200;

export async function rotateTotpKeys(deps: { store: TotpStore; sealer: SecretSealer; signingKeys?: SigningKeyStore }): Promise<RotationReport> {
  const report: RotationReport = { examined: 0, rotated: 0, alreadyCurrent: 0, changedMeanwhile: 0, unreadable: [] };
  const count = (outcome: Outcome, id: string) => {
    report.examined += 1;
    if (outcome === 'unreadable') report.unreadable.push(id);
    else report[outcome] += 1;
  };
  let after: string | null = null;
  for (;;) {
    const page = await deps.store.listPage(after, PAGE);
    for (const a of page) count(await reseal(deps.sealer, a.userId, a.secret, (next) => deps.store.replaceSecret(a.id, a.secret, next)), a.id);
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  for (const k of (await deps.signingKeys?.list()) ?? []) {
    count(await reseal(deps.sealer, signingKeySubject(k.kid), k.privateJwk, (next) => deps.signingKeys!.replaceSealed(k, k.privateJwk, next)), `signing key ${k.kid}`);
  }
  return report;
}
