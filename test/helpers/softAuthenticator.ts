// A software authenticator producing real WebAuthn responses, byte for byte: P-256
// (ES256) or Ed25519 (EdDSA) keys, 'none' or 'packed' self attestation, a settable
// counter and UV flag, and knobs to break each part (origin, RP ID hash, signature).
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

export type KeyType = 'ES256' | 'EdDSA' | 'RS256';

export interface SoftCredential {
  id: Buffer;
  keyType: KeyType;
  privateKey: KeyObject;
  publicKey: KeyObject;
  rpId: string;
  userHandle: Buffer;
  counter: number;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest();
const b64u = (b: Buffer) => b.toString('base64url');

export function coseKey(keyType: KeyType, publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  if (keyType === 'RS256') {
    return isoCBOR.encode(new Map<number, number | Uint8Array>([[1, 3], [3, -257], [-1, Buffer.from(jwk.n!, 'base64url')], [-2, Buffer.from(jwk.e!, 'base64url')]]));
  }
  const x = Buffer.from(jwk.x!, 'base64url');
  if (keyType === 'EdDSA') return isoCBOR.encode(new Map<number, number | Uint8Array>([[1, 1], [3, -8], [-1, 6], [-2, x]]));
  const y = Buffer.from(jwk.y!, 'base64url');
  return isoCBOR.encode(new Map<number, number | Uint8Array>([[1, 2], [3, -7], [-1, 1], [-2, x], [-3, y]]));
}

function signWith(c: Pick<SoftCredential, 'keyType' | 'privateKey'>, data: Buffer): Buffer {
  // ES256 signatures in WebAuthn are DER-encoded, which is node's default for ECDSA.
  // RS256 is RSASSA-PKCS1-v1_5 with SHA-256, node's default padding for RSA keys.
  return c.keyType === 'EdDSA' ? sign(null, data, c.privateKey) : sign('sha256', data, c.privateKey);
}

const FLAG = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 };

export interface Tamper {
  origin?: string;
  rpId?: string;
  type?: string;
  challenge?: string;
  uv?: boolean;
  up?: boolean;
  badSignature?: boolean;
  backedUp?: boolean;
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  constructor(
    readonly origin: string,
    readonly opts: {
      keyType?: KeyType;
      aaguid?: string;
      uv?: boolean;
      attestation?: 'none' | 'packed';
      initialCounter?: number;
      /** packed full attestation: signed by this certificate's key, x5c sent (test/helpers/mdsWorld.ts). */
      attestationIdentity?: { x5c: Buffer[]; privateKey: KeyObject };
    } = {},
  ) {}

  get aaguid(): Buffer {
    return Buffer.from((this.opts.aaguid ?? '00000000-0000-0000-0000-000000000000').replace(/-/g, ''), 'hex');
  }

  /** `reuse` re-registers a credential this authenticator already holds (a duplicate). */
  register(options: PublicKeyCredentialCreationOptionsJSON, tamper: Tamper & { reuse?: SoftCredential } = {}): RegistrationResponseJSON {
    const keyType = tamper.reuse?.keyType ?? this.opts.keyType ?? 'ES256';
    const { privateKey, publicKey } =
      keyType === 'EdDSA'
        ? generateKeyPairSync('ed25519')
        : keyType === 'RS256'
          ? generateKeyPairSync('rsa', { modulusLength: 2048 })
          : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const cred: SoftCredential = tamper.reuse ?? {
      id: randomBytes(32),
      keyType,
      privateKey,
      publicKey,
      rpId: options.rp.id ?? new URL(this.origin).hostname,
      userHandle: Buffer.from(options.user.id, 'base64url'),
      counter: this.opts.initialCounter ?? 0,
    };
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: tamper.type ?? 'webauthn.create', challenge: tamper.challenge ?? options.challenge, origin: tamper.origin ?? this.origin, crossOrigin: false }),
    );
    const uv = tamper.uv ?? this.opts.uv ?? true;
    const flags = (tamper.up === false ? 0 : FLAG.UP) | (uv ? FLAG.UV : 0) | FLAG.AT | (tamper.backedUp ? FLAG.BE | FLAG.BS : 0);
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(cred.counter);
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(cred.id.length);
    const authData = Buffer.concat([sha256(tamper.rpId ?? cred.rpId), Buffer.from([flags]), counter, this.aaguid, idLen, cred.id, coseKey(keyType, cred.publicKey)]);
    const identity = this.opts.attestationIdentity;
    const attStmt = identity
      ? new Map<string, number | Uint8Array | Uint8Array[]>([['alg', -7], ['sig', sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), identity.privateKey)], ['x5c', identity.x5c]])
      : this.opts.attestation === 'packed'
        ? new Map<string, number | Uint8Array>([['alg', keyType === 'EdDSA' ? -8 : keyType === 'RS256' ? -257 : -7], ['sig', signWith(cred, Buffer.concat([authData, sha256(clientDataJSON)]))]])
        : new Map();
    const attestationObject = isoCBOR.encode(new Map<string, unknown>([['fmt', identity ? 'packed' : (this.opts.attestation ?? 'none')], ['attStmt', attStmt], ['authData', authData]]) as never);
    if (!tamper.reuse) this.credentials.push(cred);
    return {
      id: b64u(cred.id),
      rawId: b64u(cred.id),
      type: 'public-key',
      response: { clientDataJSON: b64u(clientDataJSON), attestationObject: b64u(Buffer.from(attestationObject)), transports: ['usb'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'cross-platform',
    };
  }

  /** Signs the challenge with `cred` (default: the first credential allowed, or the first one held). */
  assert(options: PublicKeyCredentialRequestOptionsJSON, tamper: Tamper & { credential?: SoftCredential; counter?: number } = {}): AuthenticationResponseJSON {
    const allowed = new Set((options.allowCredentials ?? []).map((c) => c.id));
    const cred = tamper.credential ?? this.credentials.find((c) => allowed.size === 0 || allowed.has(b64u(c.id)));
    if (!cred) throw new Error('no matching credential on this authenticator');
    cred.counter = tamper.counter ?? (cred.counter === 0 && !this.opts.initialCounter ? 0 : cred.counter + 1);
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: tamper.type ?? 'webauthn.get', challenge: tamper.challenge ?? options.challenge, origin: tamper.origin ?? this.origin, crossOrigin: false }),
    );
    const uv = tamper.uv ?? this.opts.uv ?? true;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(cred.counter);
    const flags = (tamper.up === false ? 0 : FLAG.UP) | (uv ? FLAG.UV : 0) | (tamper.backedUp ? FLAG.BE | FLAG.BS : 0);
    const authData = Buffer.concat([sha256(tamper.rpId ?? cred.rpId), Buffer.from([flags]), counter]);
    let signature = signWith(cred, Buffer.concat([authData, sha256(clientDataJSON)]));
    if (tamper.badSignature) signature = signWith(cred, Buffer.from('something else entirely'));
    return {
      id: b64u(cred.id),
      rawId: b64u(cred.id),
      type: 'public-key',
      response: {
        clientDataJSON: b64u(clientDataJSON),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
        userHandle: b64u(cred.userHandle),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'cross-platform',
    };
  }
}
