// Administrator use cases. Each is audited against the user it touched, naming the actor.
import type { Storage, UserRecord } from '../storage/port.js';
import type { AuditLog, RequestOrigin } from '../audit/createAuditLog.js';
import type { AuditEventKind } from '../audit/auditEventKinds.js';
import type { FactorDirectory } from '../session/factorDirectory.js';
import type { AttemptGuard } from '../guard/createAttemptGuard.js';
import { normalizeUsername } from '../accounts/usernames.js';
import { accountSource, passwordState } from '../accounts/createAccountService.js';
import { invisibleCodePoints } from '../accounts/invisibleCharacters.js';
import { KeywardError } from '../errors.js';
import { resetAccount, type ResetAccountDeps } from './resetAccount.js';

export interface AdminServiceDeps {
  storage: Pick<Storage, 'users' | 'credentials' | 'totp' | 'recovery' | 'sessions' | 'audit'>;
  factors: FactorDirectory;
  guard: Pick<AttemptGuard, 'unlock' | 'lockedAccounts'>;
  audit: AuditLog;
  /** Roles in the database (`keyward admin grant`) or ADMIN_USERNAMES. */
  isAdmin: (u: UserRecord) => boolean;
  /** A key model's name (FIDO metadata or the well-known list), null when unknown. */
  modelName?: (aaguid: string) => Promise<string | null>;
  /** The enrolment link a reset hands over (createInvitationService's enrolmentLink). */
  enrolmentLink: ResetAccountDeps['enrolmentLink'];
}

export interface Actor extends RequestOrigin {
  userId: string;
}

export function createAdminService(deps: AdminServiceDeps) {
  const { storage, audit } = deps;

  async function target(id: string): Promise<UserRecord> {
    const user = await storage.users.findById(id);
    if (!user) throw new KeywardError('not_found', 'No such user.');
    return user;
  }

  const record = (type: AuditEventKind, user: UserRecord, actor: Actor, details: Record<string, unknown> = {}) =>
    audit.record(type, 'success', { ...actor, userId: user.id }, { actorId: actor.userId, username: user.username, ...details });

  async function describeUsers(users: UserRecord[]) {
    const locked = new Set(await deps.guard.lockedAccounts(users.map((u) => u.usernameNormalized)));
    return Promise.all(
      users.map(async (u) => {
        const keys = await storage.credentials.listByUser(u.id);
        return {
          id: u.id,
          username: u.username,
          displayName: u.displayName,
          roles: u.roles,
          // Keyward's own groups (editable here); the directory's are read from it at each sign-in.
          groups: u.groups,
          directoryGroups: u.directoryGroups ?? [],
          source: accountSource(u),
          password: passwordState(u),
          createdAt: new Date(u.createdAt).toISOString(),
          factors: await deps.factors.listFactors(u.id),
          flaggedKeys: keys.filter((c) => c.flagged).length,
          // Keys of a model the FIDO metadata now reports compromised or revoked.
          revokedKeys: await Promise.all(
            keys.filter((c) => c.modelRevokedBy).map(async (c) => ({ id: c.id, name: c.name, model: (await deps.modelName?.(c.aaguid)) ?? null, status: c.modelRevokedBy })),
          ),
          locked: locked.has(u.usernameNormalized),
          // A name stored before such characters were refused: it may render like another one.
          invisibleCharacters: invisibleCodePoints(u.username),
        };
      }),
    );
  }

  return {
    isAdmin: deps.isAdmin,

    /**
     * One page of users whose name starts with `query`, by name. `after` is the last normalized
     * name of the page before; `next` is this page's last one when more follow, else null.
     */
    async listUsers(query: string, opts: { limit: number; after?: string }) {
      // One more than asked tells whether another page follows without counting them all.
      const found = await storage.users.search(normalizeUsername(query), opts.limit + 1, opts.after);
      const users = found.slice(0, opts.limit);
      const next = found.length > opts.limit ? users[users.length - 1]!.usernameNormalized : null;
      return { users: await describeUsers(users), next };
    },

    /**
     * Removes every second factor and the password and signs the user out everywhere: the
     * enrolment link returned (for the administrator to hand over) is their only way back.
     */
    async resetMfa(actor: Actor, userId: string) {
      return resetAccount({ storage, audit, enrolmentLink: deps.enrolmentLink }, actor, await target(userId));
    },

    async unlock(actor: Actor, userId: string) {
      const user = await target(userId);
      const cleared = await deps.guard.unlock(user.usernameNormalized);
      await record('admin.unlock', user, actor, { cleared });
    },

    async revokeSessions(actor: Actor, userId: string) {
      const user = await target(userId);
      const sessions = await storage.sessions.destroyAllForUser(user.id);
      await record('admin.revoke_sessions', user, actor, { sessions });
      return sessions;
    },

    async changeGroups(actor: Actor, userId: string, add: string[], remove: string[]) {
      const user = await storage.users.changeGroups(userId, add, remove);
      if (!user) throw new KeywardError('not_found', 'No such user.');
      await record('admin.groups_changed', user, actor, { added: add, removed: remove, groups: user.groups });
      return user.groups;
    },

    queryAudit: (filter: Parameters<Storage['audit']['query']>[0]) => storage.audit.query(filter),
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
