// Seeds users straight into the store (no HTTP, no Argon2 per user): each with a signed-in
// aal 2 session, a security key, an authenticator app and recovery codes, so the load can
// hit the verify endpoints without spending its time on set-up.
import { randomBytes } from 'node:crypto';
import type { Storage } from '../server/storage/port.js';
import { createSecretSealer } from '../server/totp/createSecretSealer.js';
import { createRecoveryCodeHasher } from '../server/recovery/createRecoveryCodeHasher.js';
import { recoveryCodeFormat } from '../server/recovery/recoveryCodeFormat.js';
import { cryptoRandom } from '../server/clock.js';
import { createCookieSigner, hashSessionId } from '../server/http/sessionCookie.js';
import { SoftAuthenticator, coseKey } from '../test/helpers/softAuthenticator.js';
import { usernameSkeleton } from '../server/accounts/usernameSkeleton.js';

export interface SeededUser {
  id: string;
  username: string;
  cookie: string;
  key: SoftAuthenticator;
  /** Raw TOTP secret bytes (generate codes with createTotpCodes). */
  totpSecret: Uint8Array;
  recoveryCodes: string[];
}

export interface SeedOptions {
  count: number;
  origin: string;
  rpId: string;
  sessionSecret: string;
  totpKey: { id: string; key: Buffer };
  passwordHash: string;
  recoveryCodesPerUser: number;
  /** Usernames are `${prefix}${i}`: distinct per call. */
  prefix: string;
}

export async function seedUsers(storage: Storage, o: SeedOptions): Promise<SeededUser[]> {
  const signer = createCookieSigner([o.sessionSecret]);
  const sealer = createSecretSealer({ keys: [o.totpKey], random: cryptoRandom });
  const hasher = createRecoveryCodeHasher();
  const now = Date.now();
  const out: SeededUser[] = [];
  for (let i = 0; i < o.count; i++) {
    const id = `bench-${i}-${randomBytes(4).toString('hex')}`;
    const username = `${o.prefix}${i}`;
    if (!(await storage.users.create({ id, username, usernameNormalized: username, usernameSkeleton: usernameSkeleton(username), displayName: username, passwordHash: o.passwordHash, roles: [], groups: [], email: null, createdAt: now, language: null }))) {
      throw new Error(`seeding: username ${username} exists already`);
    }

    // A counting key (like most security keys), so the bench can check counters afterwards.
    const key = new SoftAuthenticator(o.origin, { initialCounter: 1 });
    key.register({ rp: { id: o.rpId, name: 'Keyward' }, user: { id: Buffer.from(id).toString('base64url'), name: username, displayName: username }, challenge: 'x'.repeat(43), pubKeyCredParams: [] } as never);
    const cred = key.credentials[0]!;
    await storage.credentials.create({
      id: cred.id.toString('base64url'), userId: id, name: 'Bench key', publicKey: new Uint8Array(coseKey('ES256', cred.publicKey)), counter: cred.counter,
      transports: ['usb'], aaguid: '00000000-0000-0000-0000-000000000000', deviceType: 'singleDevice', backedUp: false, flagged: false, createdAt: now, lastUsedAt: null, attestation: null, modelRevokedBy: null,
    });

    const totpSecret = new Uint8Array(randomBytes(20));
    await storage.totp.createPending({
      id: `totp-${id}`, userId: id, name: 'Bench app', secret: sealer.seal(id, totpSecret), confirmed: false,
      expiresAt: now + 3_600_000, lastUsedStep: -1, createdAt: now, lastUsedAt: null,
    });
    await storage.totp.confirm(id, `totp-${id}`, 0, now); // step 0: long past, any current code is later

    const recoveryCodes = Array.from({ length: o.recoveryCodesPerUser }, () => recoveryCodeFormat.generate(cryptoRandom));
    if (o.recoveryCodesPerUser > 0) {
      const salt = randomBytes(16).toString('base64url');
      const set = { userId: id, setId: randomBytes(8).toString('hex'), salt, createdAt: now };
      await storage.recovery.createSetIfAbsent(set, await Promise.all(recoveryCodes.map((c) => hasher.hash(c, salt))));
    }

    // A signed-in session at aal 2, as a key sign-in would leave it.
    const sid = randomBytes(32).toString('base64url');
    const data = { userId: id, stage: 'authenticated', aal: 2, amr: ['pwd', 'hwk'], authenticatedAt: now, stepUpAt: now };
    await storage.sessions.create({
      idHash: hashSessionId(sid), publicId: randomBytes(16).toString('base64url'), userId: id, data,
      createdAt: now, lastSeenAt: now, expiresAt: now + 3_600_000, ip: '127.0.0.1', userAgent: 'keyward-bench', aal: 2,
    });
    const cookie = `keyward=${signer.sign(sid)}`;
    out.push({ id, username, cookie, key, totpSecret, recoveryCodes });
  }
  return out;
}
