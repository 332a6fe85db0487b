// Authenticator apps: set-up (pending until a code proves the app has the secret),
// naming, removal, and the sign-in check with its replay guard.
import type { Config } from '../config.js';
import type { Clock, Random } from '../clock.js';
import { newId } from '../clock.js';
import type { TotpAuthenticatorRecord, TotpStore, UserRecord, UserStore } from '../storage/port.js';
import type { FactorProvider } from '../session/factorDirectory.js';
import { createSecretSealer } from './createSecretSealer.js';
import { createTotpCodes } from './createTotpCodes.js';

/** How long a set-up may wait for its confirming code. */
export const PENDING_TOTP_TTL_MS = 10 * 60_000;

export interface TotpServiceDeps {
  config: Pick<Config, 'rpName' | 'totpEncryptionKeys' | 'totpPeriodSeconds' | 'totpDigits' | 'totpAlgorithm' | 'mfaRequired'>;
  store: TotpStore;
  users: UserStore;
  clock: Clock;
  random: Random;
  /** Whether the user still has a security key or a confirmed authenticator. */
  hasSecondFactor(userId: string): Promise<boolean>;
  /** Whether the user has a second factor that is not an authenticator app. */
  hasSecondFactorBesides(userId: string, factor: 'totp'): Promise<boolean>;
}

export interface AuthenticatorView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export const authenticatorView = (a: TotpAuthenticatorRecord): AuthenticatorView => ({
  id: a.id,
  name: a.name,
  createdAt: new Date(a.createdAt).toISOString(),
  lastUsedAt: a.lastUsedAt === null ? null : new Date(a.lastUsedAt).toISOString(),
});

export type TotpVerifyOutcome =
  | { ok: true; user: UserRecord; authenticatorId: string; step: number }
  | { ok: false; reason: 'no_authenticator' | 'wrong_code' | 'replayed' | 'undecryptable' };

export function createTotpService(deps: TotpServiceDeps) {
  const { config, store, clock, random } = deps;
  const codes = createTotpCodes({ periodSeconds: config.totpPeriodSeconds, digits: config.totpDigits, algorithm: config.totpAlgorithm });
  const sealer = createSecretSealer({ keys: config.totpEncryptionKeys, random });

  return {
    codes,
    sealer,

    async begin(user: UserRecord, name: string | undefined) {
      const now = clock.now();
      const secret = codes.newSecret(random);
      const record: TotpAuthenticatorRecord = {
        id: newId(random),
        userId: user.id,
        name: name ?? `Authenticator app ${(await store.countConfirmed(user.id)) + 1}`,
        secret: sealer.seal(user.id, secret),
        confirmed: false,
        expiresAt: now + PENDING_TOTP_TTL_MS,
        lastUsedStep: -1,
        createdAt: now,
        lastUsedAt: null,
      };
      await store.createPending(record);
      const otpauthUri = codes.uri({ issuer: config.rpName, label: user.username, secret });
      // Loaded at the first enrolment, not at every start.
      const { default: QRCode } = await import('qrcode');
      const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return { id: record.id, secret: codes.encodeSecret(secret), otpauthUri, qrSvg };
    },

    /** The code must come from the pending secret; confirming also spends its time step. */
    async confirm(userId: string, id: string, code: string) {
      const now = clock.now();
      const pending = await store.findPending(userId, id, now);
      if (!pending) return { ok: false as const, reason: 'not_found' as const };
      const secret = sealer.open(userId, pending.secret);
      if (!secret) return { ok: false as const, reason: 'undecryptable' as const };
      const step = await codes.match(secret, code, now);
      if (step === null) return { ok: false as const, reason: 'wrong_code' as const };
      const confirmed = await store.confirm(userId, id, step, now);
      // Lost to a parallel confirmation (or it expired just now).
      if (!confirmed) return { ok: false as const, reason: 'not_found' as const };
      return { ok: true as const, authenticator: confirmed };
    },

    list: async (userId: string) => (await store.listConfirmed(userId)).map(authenticatorView),

    rename: (userId: string, id: string, name: string) => store.rename(userId, id, name),

    /** With MFA_REQUIRED: whether `id` is the user's one confirmed app and nothing else is left. */
    async isLastFactor(userId: string, id: string): Promise<boolean> {
      if (!config.mfaRequired) return false;
      const confirmed = await store.listConfirmed(userId);
      if (confirmed.length !== 1 || confirmed[0]!.id !== id) return false;
      return !(await deps.hasSecondFactorBesides(userId, 'totp'));
    },

    /**
     * Removes one; with MFA_REQUIRED, refuses (and puts it back) when nothing else would be
     * left. Checking after the delete means two parallel removals cannot both pass.
     */
    async remove(userId: string, id: string): Promise<{ ok: true; removed: TotpAuthenticatorRecord } | { ok: false; reason: 'not_found' | 'last_factor' }> {
      const removed = await store.remove(userId, id);
      if (!removed) return { ok: false, reason: 'not_found' };
      if (config.mfaRequired && removed.confirmed && !(await deps.hasSecondFactor(userId))) {
        await store.restore(removed);
        return { ok: false, reason: 'last_factor' };
      }
      return { ok: true, removed };
    },

    /** A code against every confirmed authenticator; acceptance is the store's conditional update. */
    async verify(user: UserRecord | null, code: string): Promise<TotpVerifyOutcome> {
      const now = clock.now();
      const userId = user?.id ?? '';
      const authenticators = user ? await store.listConfirmed(userId) : [];
      if (!user || authenticators.length === 0) return { ok: false, reason: 'no_authenticator' };
      let outcome: TotpVerifyOutcome = { ok: false, reason: 'wrong_code' };
      for (const a of authenticators) {
        const secret = sealer.open(userId, a.secret);
        if (!secret) {
          outcome = { ok: false, reason: 'undecryptable' };
          continue;
        }
        const step = await codes.match(secret, code, now);
        if (step === null) continue;
        if (await store.recordUse(a.id, step, now)) return { ok: true, user, authenticatorId: a.id, step };
        outcome = { ok: false, reason: 'replayed' };
      }
      return outcome;
    },

    provider: { factor: 'totp', hasFactor: async (userId) => (await store.countConfirmed(userId)) > 0 } satisfies FactorProvider,
  };
}

export type TotpService = ReturnType<typeof createTotpService>;
