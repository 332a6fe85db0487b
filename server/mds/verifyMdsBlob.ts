// Checks an MDS3 blob (a JWT) before anything in it is trusted: the x5c chain in its header
// up to the FIDO root (server/mds/certificateChain.ts), then the JWS signature with the leaf
// certificate's key (jose). @simplewebauthn/server's own verifyMDSBlob would fetch CRLs and
// read its process-wide SettingsService roots, so the offline blob is verified here.
import { compactVerify, decodeProtectedHeader } from 'jose';
import type { X509Certificate } from 'node:crypto';
import { parseCertificate, verifyChain } from './certificateChain.js';
import { mdsPayload, toModel, type AuthenticatorModel } from './authenticatorModels.js';

export interface MdsBlob {
  /** The blob's serial number: a later blob has a higher one. */
  no: number;
  /** When the FIDO Alliance publishes the next one (ms, UTC midnight of payload.nextUpdate). */
  nextUpdate: number;
  models: Map<string, AuthenticatorModel>;
}

export type BlobCheck = { ok: true; blob: MdsBlob } | { ok: false; reason: string };

const ALGORITHMS = ['RS256', 'ES256', 'PS256', 'ES384', 'RS384', 'ES512', 'RS512', 'EdDSA'];

export async function verifyMdsBlob(jwt: string, roots: X509Certificate[], now: number): Promise<BlobCheck> {
  let chain: X509Certificate[];
  try {
    const header = decodeProtectedHeader(jwt.trim());
    if (!Array.isArray(header.x5c) || header.x5c.length === 0) return { ok: false, reason: 'no_x5c' };
    chain = header.x5c.map((c) => parseCertificate(Buffer.from(c, 'base64')));
  } catch (err) {
    return { ok: false, reason: `malformed: ${(err as Error).message}` };
  }
  const path = verifyChain(chain, roots, now);
  if (!path.ok) return { ok: false, reason: path.reason };
  let payload: unknown;
  try {
    const verified = await compactVerify(jwt.trim(), chain[0]!.publicKey, { algorithms: ALGORITHMS });
    payload = JSON.parse(new TextDecoder().decode(verified.payload));
  } catch (err) {
    return { ok: false, reason: `bad_signature: ${(err as Error).message}` };
  }
  const parsed = mdsPayload.safeParse(payload);
  if (!parsed.success) return { ok: false, reason: 'malformed_payload' };
  const models = new Map<string, AuthenticatorModel>();
  for (const entry of parsed.data.entries) {
    const model = toModel(entry);
    if (model) models.set(model.aaguid, model);
  }
  return { ok: true, blob: { no: parsed.data.no, nextUpdate: Date.parse(`${parsed.data.nextUpdate}T00:00:00Z`), models } };
}
