// The HTTP side of the session state machine: who is asking, at which level, and the
// session changes that go with a successful factor (new id each time).
import type { Context } from 'koa';
import type { Clock } from '../clock.js';
import { KeywardError } from '../errors.js';
import type { FactorDirectory } from '../session/factorDirectory.js';
import type { Amr, Factor, SessionView, StatePolicy } from '../session/sessionState.js';
import { afterSecondFactor, isStepUpFresh, readSession, afterPasskey, afterPasskeyStepUp, afterResetFactor, isPasskeyFresh } from '../session/sessionState.js';
import type { SessionData, SessionStatus } from '../session/sessionState.js';
import type { RequestOrigin } from '../audit/createAuditLog.js';
import type { Asker, RevokeReason, SessionControl } from '../session/createSessionControl.js';
import { establishSession } from './sessionMiddleware.js';
import type { DeviceCookies } from './deviceCookie.js';
import type { UserRecord } from '../storage/port.js';

export interface SessionAccessDeps {
  clock: Clock;
  policy: StatePolicy;
  stepUpMaxAgeMs: number;
  factors: FactorDirectory;
  control: SessionControl;
  /** Device cookies (OWASP): who is guessing, and the known device a full sign-in leaves. */
  devices: DeviceCookies;
}

/** Factors that count as a second factor (recovery codes are a backup, not a factor). */
const SECOND_FACTORS = new Set(['webauthn', 'totp']);

export function requestOrigin(ctx: Context): RequestOrigin {
  return { ip: ctx.ip || null, userAgent: ctx.get('User-Agent') || null, requestId: ctx.state.requestId ?? null };
}

export function createSessionAccess(deps: SessionAccessDeps) {
  const { clock, policy } = deps;

  function view(ctx: Context): SessionView {
    return readSession(ctx.session?.data, clock.now(), policy);
  }

  /** The view of stored session data read outside Koa (the lean forward-auth handler). */
  const viewOf = (data: SessionData | undefined): SessionView => readSession(data, clock.now(), policy);

  async function hasSecondFactor(userId: string): Promise<boolean> {
    return (await deps.factors.listFactors(userId)).some((f) => SECOND_FACTORS.has(f));
  }

  /** A fully signed-in person, with the session they ask from (session control). */
  function asker(ctx: Context): Asker {
    const v = view(ctx);
    if (v.status === 'anonymous' || !v.userId) throw new KeywardError('unauthenticated');
    if (v.status !== 'authenticated') throw new KeywardError('mfa_required');
    const record = ctx.session?.record;
    return { userId: v.userId, idHash: record?.idHash ?? null, publicId: record?.publicId ?? null, ...requestOrigin(ctx) };
  }

  /** Whether a second factor of another kind than `factor` remains (a removal's pre-check). */
  async function hasSecondFactorBesides(userId: string, factor: Factor): Promise<boolean> {
    return (await deps.factors.listFactors(userId)).some((f) => f !== factor && SECOND_FACTORS.has(f));
  }

  return {
    view,
    viewOf,
    hasSecondFactor,
    asker,

    /** Something about the account changed (a factor removed, a new password): every other session ends. */
    async endOtherSessions(ctx: Context, reason: RevokeReason): Promise<number> {
      return deps.control.revokeOthers(asker(ctx), reason);
    },
    hasSecondFactorBesides,
    guesser: deps.devices.guesser,
    rememberDevice: deps.devices.remember,

    /** A fully signed-in person (any aal). */
    requireUser(ctx: Context): SessionView & { userId: string } {
      const v = view(ctx);
      if (v.status === 'authenticated' && v.userId) return { ...v, userId: v.userId };
      if (v.status === 'anonymous') throw new KeywardError('unauthenticated');
      throw new KeywardError('mfa_required');
    },

    /**
     * Adding a factor: at aal 2, or at aal 1 while the user has no second factor yet
     * (their first enrollment). Returns whether this will be the first.
     */
    async requireEnrollment(ctx: Context): Promise<{ userId: string; first: boolean }> {
      const v = view(ctx);
      if (!v.userId || v.status === 'anonymous') throw new KeywardError('unauthenticated');
      const first = !(await hasSecondFactor(v.userId));
      if (v.status === 'authenticated' && v.aal >= 2) return { userId: v.userId, first };
      if ((v.status === 'enroll_required' || v.status === 'authenticated') && first) return { userId: v.userId, first };
      throw new KeywardError('mfa_required', 'Verify with one of your existing factors before adding another.');
    },

    /** Sensitive actions: aal 2 with a second-factor verification within STEP_UP_MAX_AGE. */
    async requireStepUp(ctx: Context): Promise<{ userId: string }> {
      const v = view(ctx);
      if (v.status === 'anonymous' || !v.userId) throw new KeywardError('unauthenticated');
      if (v.status !== 'authenticated') throw new KeywardError('mfa_required');
      if (!isStepUpFresh(v, clock.now(), deps.stepUpMaxAgeMs)) {
        const factors = (await deps.factors.listFactors(v.userId));
        throw new KeywardError('step_up_required', undefined, { factors });
      }
      return { userId: v.userId };
    },

    /**
     * The user a second-factor verification is for: the pending one, the signed-in one
     * (step-up), or the one whose password-reset link this session opened (reset).
     */
    secondFactorSubject(ctx: Context): { userId: string; stepUp: boolean; reset: boolean } {
      const v = view(ctx);
      if (v.userId && v.status === 'mfa_required') return { userId: v.userId, stepUp: false, reset: false };
      if (v.userId && v.status === 'authenticated') return { userId: v.userId, stepUp: true, reset: false };
      if (v.userId && v.status === 'reset_required') return { userId: v.userId, stepUp: false, reset: true };
      if (v.status === 'enroll_required') throw new KeywardError('mfa_required', 'Set up a second factor first.');
      throw new KeywardError('unauthenticated');
    },

    /**
     * A second factor succeeded (sign-in, step-up or first enrollment): aal 2 (3 for an attested
     * hardware key), new session id. `user`: the session's user as the verification already
     * read it (spares a read). In a password reset it signs in to nothing: the new password
     * comes next. Answers the status the session is in now.
     */
    async completeSecondFactor(ctx: Context, method: Amr, opts: { aal?: 2 | 3; user?: UserRecord } = {}): Promise<SessionStatus> {
      const data = ctx.session?.data ?? {};
      if (view(ctx).status === 'reset_required') {
        await establishSession(ctx, afterResetFactor(data, method, clock.now(), opts.aal ?? 2), { continues: true });
        return 'reset_password';
      }
      await establishSession(ctx, afterSecondFactor(data, method, clock.now(), opts.aal ?? 2), { continues: true });
      if (data.userId) await deps.devices.remember(ctx, opts.user?.id === data.userId ? opts.user : data.userId);
      return 'authenticated';
    },

    async completePasskey(ctx: Context, user: UserRecord, aal: 2 | 3 = 2, key: 'hwk' | 'swk' = 'hwk'): Promise<void> {
      await establishSession(ctx, afterPasskey(user.id, clock.now(), aal, key));
      await deps.devices.remember(ctx, user);
    },

    /** The signed-in person confirmed it is them with a passkey of theirs (usernameless, user verified). */
    async completePasskeyStepUp(ctx: Context, aal: 2 | 3, key: 'hwk' | 'swk'): Promise<void> {
      await establishSession(ctx, afterPasskeyStepUp(ctx.session?.data ?? {}, clock.now(), aal, key), { continues: true });
    },

    /**
     * Removing the password: a step-up with a passkey (so the account holds one that signs in
     * alone) within STEP_UP_MAX_AGE. The refusal names the passkey so the pages ask for one.
     */
    requirePasskeyStepUp(ctx: Context): { userId: string } {
      const v = view(ctx);
      if (v.status === 'anonymous' || !v.userId) throw new KeywardError('unauthenticated');
      if (v.status !== 'authenticated') throw new KeywardError('mfa_required');
      if (!isStepUpFresh(v, clock.now(), deps.stepUpMaxAgeMs) || !isPasskeyFresh(v, clock.now(), deps.stepUpMaxAgeMs)) {
        throw new KeywardError('step_up_required', 'Confirm it is you with a passkey first.', { factors: ['webauthn'], passkey: true });
      }
      return { userId: v.userId };
    },
  };
}

export type SessionAccess = ReturnType<typeof createSessionAccess>;
