// X.509 path checks with node:crypto, for the MDS blob's x5c and for attestation x5c chains.
// No network: CRL distribution points are not fetched (an offline blob is the point); the
// blob itself is the revocation list for authenticator models.
import { X509Certificate } from 'node:crypto';

export type ChainCheck = { ok: true } | { ok: false; reason: string };

export function parseCertificate(der: Uint8Array | string): X509Certificate {
  return new X509Certificate(typeof der === 'string' ? der : Buffer.from(der));
}

function validAt(c: X509Certificate, at: number): boolean {
  return Date.parse(c.validFrom) <= at && at <= Date.parse(c.validTo);
}

function signedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  return child.checkIssued(issuer) && child.verify(issuer.publicKey);
}

/**
 * `chain` leaf first (as x5c orders it): each certificate is issued and signed by the next,
 * every one is valid at `at`, every issuer is a CA, and the last is one of `roots` or is
 * signed by one of them (a valid CA at `at`).
 */
export function verifyChain(chain: X509Certificate[], roots: X509Certificate[], at: number): ChainCheck {
  if (chain.length === 0) return { ok: false, reason: 'empty_chain' };
  if (roots.length === 0) return { ok: false, reason: 'no_trust_anchor' };
  for (const [i, cert] of chain.entries()) {
    if (!validAt(cert, at)) return { ok: false, reason: `certificate_${i}_not_valid_now` };
    const next = chain[i + 1];
    if (next && (!next.ca || !signedBy(cert, next))) return { ok: false, reason: `certificate_${i}_not_signed_by_next` };
  }
  const last = chain[chain.length - 1]!;
  if (roots.some((r) => r.fingerprint256 === last.fingerprint256 && validAt(r, at))) return { ok: true };
  if (roots.some((r) => r.ca && validAt(r, at) && signedBy(last, r))) return { ok: true };
  return { ok: false, reason: 'not_chained_to_root' };
}
