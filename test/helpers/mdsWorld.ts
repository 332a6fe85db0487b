// A FIDO metadata world of the test's own: a root CA standing in for the FIDO root, a blob
// signer under it, authenticator models each with its own attestation root, and MDS3 blobs
// (JWTs) listing them. Certificates are real X.509 (@peculiar/x509 over WebCrypto), so the
// server's node:crypto chain checks and @simplewebauthn/server's packed checks run for real.
import { webcrypto, KeyObject, X509Certificate, randomUUID } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { CompactSign } from 'jose';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;
// Wide validity around the real date: @simplewebauthn/server checks the attestation leaf
// against the wall clock, the server's chain checks against the test clock.
const NOT_BEFORE = new Date(Date.UTC(2000, 0, 1));
const NOT_AFTER = new Date(Date.UTC(2099, 0, 1));

interface Ca {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

let serial = 1;
const nextSerial = () => (serial++).toString(16).padStart(2, '0');

async function makeCa(name: string, issuer?: Ca): Promise<Ca> {
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const extensions = [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)];
  const cert = issuer
    ? await x509.X509CertificateGenerator.create({ serialNumber: nextSerial(), subject: `CN=${name}`, issuer: issuer.cert.subject, notBefore: NOT_BEFORE, notAfter: NOT_AFTER, signingAlgorithm: EC, publicKey: keys.publicKey, signingKey: issuer.keys.privateKey, extensions })
    : await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: nextSerial(), name: `CN=${name}`, notBefore: NOT_BEFORE, notAfter: NOT_AFTER, signingAlgorithm: EC, keys, extensions });
  return { cert, keys };
}

async function makeLeaf(subject: string, issuer: Ca, extra: x509.Extension[] = []): Promise<{ der: Buffer; privateKey: KeyObject }> {
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject,
    issuer: issuer.cert.subject,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    signingAlgorithm: EC,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), ...extra],
  });
  return { der: Buffer.from(cert.rawData), privateKey: KeyObject.from(keys.privateKey) };
}

export interface TestModel {
  aaguid: string;
  description: string;
  /** The model's attestation root (what the blob lists for it). */
  root: Ca;
  certification: string | null;
  keyProtection: string[];
  /** Extra status reports (e.g. ATTESTATION_KEY_COMPROMISE). */
  statuses: string[];
  /** The metadata statement's icon, as the blob carries it (normally a data: URL). */
  icon?: string;
}

/** What a SoftAuthenticator needs for `packed` full attestation. */
export interface AttestationIdentity {
  x5c: Buffer[];
  privateKey: KeyObject;
}

export interface MdsWorld {
  /** Trust anchors to give createApp instead of the FIDO root. */
  roots: X509Certificate[];
  model(opts?: Partial<Omit<TestModel, 'root' | 'aaguid'>> & { aaguid?: string }): Promise<TestModel>;
  /** An attestation certificate for `model`, issued under `root` (default: the model's own). */
  attestation(model: TestModel, root?: Ca): Promise<AttestationIdentity>;
  /** A stranger's CA: attestation under it must not be trusted. */
  foreignCa(): Promise<Ca>;
  blob(opts: { no: number; nextUpdate: number; models: TestModel[]; signer?: 'fido' | 'other' }): Promise<string>;
}

const FIDO_OID_AAGUID = '1.3.6.1.4.1.45724.1.1.4';

export async function createMdsWorld(): Promise<MdsWorld> {
  const fidoRoot = await makeCa('Test FIDO Root');
  const otherRoot = await makeCa('Somebody Else Root');
  const signers = {
    fido: await makeLeaf('CN=Test MDS signer', fidoRoot),
    other: await makeLeaf('CN=Other MDS signer', otherRoot),
  };

  return {
    roots: [new X509Certificate(Buffer.from(fidoRoot.cert.rawData))],
    async model(opts = {}) {
      return {
        aaguid: opts.aaguid ?? randomUUID(),
        description: opts.description ?? 'Test Key 5 NFC',
        root: await makeCa(`${opts.description ?? 'Test Key'} Attestation Root`),
        certification: opts.certification === undefined ? 'FIDO_CERTIFIED_L2' : opts.certification,
        keyProtection: opts.keyProtection ?? ['hardware', 'secure_element'],
        statuses: opts.statuses ?? [],
        ...(opts.icon !== undefined && { icon: opts.icon }),
      };
    },
    async attestation(model, root = model.root) {
      const aaguid = Buffer.from(model.aaguid.replace(/-/g, ''), 'hex');
      const ext = new x509.Extension(FIDO_OID_AAGUID, false, Buffer.concat([Buffer.from([0x04, 0x10]), aaguid]));
      const leaf = await makeLeaf(`C=SE, O=Test Keys, OU=Authenticator Attestation, CN=${model.description}`, root, [ext]);
      return { x5c: [leaf.der], privateKey: leaf.privateKey };
    },
    foreignCa: () => makeCa('Foreign Attestation Root'),
    async blob({ no, nextUpdate, models, signer = 'fido' }) {
      const payload = {
        legalHeader: 'test',
        no,
        nextUpdate: new Date(nextUpdate).toISOString().slice(0, 10),
        entries: models.map((m) => ({
          aaguid: m.aaguid,
          metadataStatement: {
            description: m.description,
            aaguid: m.aaguid,
            attestationTypes: ['basic_full'],
            attestationRootCertificates: [Buffer.from(m.root.cert.rawData).toString('base64')],
            keyProtection: m.keyProtection,
            ...(m.icon !== undefined && { icon: m.icon }),
          },
          statusReports: [...(m.certification ? [m.certification] : ['NOT_FIDO_CERTIFIED']), ...m.statuses].map((status) => ({ status, effectiveDate: '2024-01-01' })),
          timeOfLastStatusChange: '2024-01-01',
        })),
      };
      const s = signers[signer];
      return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', x5c: [s.der.toString('base64')] })
        .sign(s.privateKey);
    },
  };
}

export { DAY };
