// ATTESTATION_POLICY=mds: what a registration's attestation must prove. @simplewebauthn/server
// has already checked the statement's signature and, for packed, its leaf certificate (the
// AAGUID extension included); this adds the chain to the model's roots in the offline blob,
// the model's status and its certification, without its process-wide MetadataService.
import { decodeAttestationObject } from '@simplewebauthn/server/helpers';
import { parseCertificate, verifyChain } from '../mds/certificateChain.js';
import { meetsCertification, type CertificationLevel } from '../mds/authenticatorModels.js';
import type { MetadataState } from '../mds/createMdsService.js';
import type { AttestationProof } from '../storage/port.js';

export type TrustCheck = { ok: true; proof: AttestationProof } | { ok: false; reason: string };

export function checkAttestationTrust(
  att: { fmt: string; aaguid: string; attestationObject: Uint8Array<ArrayBuffer> },
  metadata: MetadataState | null,
  minimum: CertificationLevel,
  now: number,
): TrustCheck {
  if (!metadata) return { ok: false, reason: 'no_metadata_blob' };
  if (att.fmt === 'none') return { ok: false, reason: 'no_attestation' };
  const aaguid = att.aaguid.toLowerCase();
  const model = metadata.blob.models.get(aaguid);
  if (!model) return { ok: false, reason: `unknown_model: ${aaguid}` };
  const x5c = decodeAttestationObject(att.attestationObject).get('attStmt').get('x5c');
  if (!x5c || x5c.length === 0) return { ok: false, reason: `self_attestation: ${aaguid}` };
  let chain;
  try {
    chain = x5c.map((c) => parseCertificate(c));
  } catch {
    return { ok: false, reason: 'malformed_attestation_certificate' };
  }
  const roots = model.attestationRoots.flatMap((r) => {
    try {
      return [parseCertificate(Buffer.from(r, 'base64'))];
    } catch {
      return [];
    }
  });
  const path = verifyChain(chain, roots, now);
  if (!path.ok) return { ok: false, reason: `attestation_not_trusted: ${path.reason} (${model.description})` };
  if (model.revokedBy) return { ok: false, reason: `model_revoked: ${model.revokedBy} (${model.description})` };
  if (!meetsCertification(model.certification, minimum)) {
    return { ok: false, reason: `not_certified: ${model.certification ?? 'none'} < ${minimum} (${model.description})` };
  }
  return { ok: true, proof: { aaguid, certification: model.certification, hardwareBound: model.hardwareBound } };
}
