// What Keyward reads from an MDS3 entry about one authenticator model (FIDO Metadata
// Service 3.0 §3.1.1 and FIDO Metadata Statement §4): its name, the roots its attestation
// must chain to, how it protects keys, and what its status reports say.
import { z } from 'zod';

/** Statuses after which keys of the model are no longer trusted (FIDO MDS §3.1.4). */
export const REVOKING_STATUSES = ['REVOKED', 'ATTESTATION_KEY_COMPROMISE', 'USER_KEY_REMOTE_COMPROMISE', 'USER_KEY_PHYSICAL_COMPROMISE', 'USER_VERIFICATION_BYPASS'] as const;

/** Certification levels, weakest first; FIDO_CERTIFIED is the older name of L1. */
export const CERTIFICATION_LEVELS = ['FIDO_CERTIFIED_L1', 'FIDO_CERTIFIED_L1plus', 'FIDO_CERTIFIED_L2', 'FIDO_CERTIFIED_L2plus', 'FIDO_CERTIFIED_L3', 'FIDO_CERTIFIED_L3plus'] as const;
export type CertificationLevel = (typeof CERTIFICATION_LEVELS)[number];

const rank = (level: string): number => CERTIFICATION_LEVELS.indexOf((level === 'FIDO_CERTIFIED' ? 'FIDO_CERTIFIED_L1' : level) as CertificationLevel);

export function meetsCertification(level: string | null, minimum: CertificationLevel): boolean {
  return level !== null && rank(level) >= rank(minimum);
}

const statusReport = z.looseObject({ status: z.string(), effectiveDate: z.string().optional() });
export const mdsEntry = z.looseObject({
  aaguid: z.string().optional(),
  metadataStatement: z
    .looseObject({
      description: z.string().default(''),
      attestationRootCertificates: z.array(z.string()).default([]),
      keyProtection: z.array(z.string()).default([]),
      icon: z.string().optional(),
    })
    .optional(),
  statusReports: z.array(statusReport).default([]),
});
export const mdsPayload = z.looseObject({
  no: z.number().int().nonnegative(),
  nextUpdate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  entries: z.array(mdsEntry),
});

export interface AuthenticatorModel {
  aaguid: string;
  description: string;
  /** base64 DER, as the blob carries them. */
  attestationRoots: string[];
  /** Highest certification level reported, null when none. */
  certification: string | null;
  /** The revoking status reported, null when none. */
  revokedBy: string | null;
  /** Keys live in hardware, a secure element or a TEE, never in software. */
  hardwareBound: boolean;
  /** data: URL of the model's icon, when the blob has one. */
  icon: string | null;
}

const HARDWARE = ['hardware', 'secure_element', 'tee'];

export function toModel(e: z.infer<typeof mdsEntry>): AuthenticatorModel | null {
  if (!e.aaguid || !e.metadataStatement) return null;
  const statuses = e.statusReports.map((r) => r.status);
  const certified = statuses.filter((s) => rank(s) >= 0).sort((a, b) => rank(b) - rank(a));
  const protection = e.metadataStatement.keyProtection;
  const icon = e.metadataStatement.icon;
  return {
    aaguid: e.aaguid.toLowerCase(),
    description: e.metadataStatement.description,
    attestationRoots: e.metadataStatement.attestationRootCertificates,
    certification: certified[0] ?? null,
    revokedBy: statuses.find((s) => (REVOKING_STATUSES as readonly string[]).includes(s)) ?? null,
    hardwareBound: protection.length > 0 && !protection.includes('software') && protection.some((p) => HARDWARE.includes(p)),
    icon: icon && /^data:image\/(png|svg\+xml|jpeg);base64,[A-Za-z0-9+/=]+$/.test(icon) ? icon : null,
  };
}
