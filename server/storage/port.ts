// The storage port: one narrow interface per aggregate, owned by the code that uses it.
// Both adapters (mongo/, embedded/) implement it and pass test/contract/.
// Rules every adapter follows:
// - expiry is always checked in the query itself (TTL indexes only clean up);
// - every security-relevant read-modify-write is ONE atomic conditional operation;
// - connectivity failures surface as KeywardError('unavailable').

export interface UserRecord {
  id: string;
  username: string;
  /** Lower-cased NFKC form; the unique key. */
  usernameNormalized: string;
  displayName: string;
  passwordHash: string;
  roles: string[];
  createdAt: number;
}

export interface UserStore {
  /** Inserts a new user; returns false when the normalized username is taken. */
  create(user: UserRecord): Promise<boolean>;
  findById(id: string): Promise<UserRecord | null>;
  findByUsername(usernameNormalized: string): Promise<UserRecord | null>;
  /** Replaces the password hash only if it is still `expected` (used to upgrade KDF parameters). */
  updatePasswordHash(id: string, expected: string, next: string): Promise<boolean>;
}

export interface SessionRecord {
  /** SHA-256 of the session id: a database dump holds no usable session. */
  idHash: string;
  userId: string | null;
  data: Record<string, unknown>;
  expiresAt: number;
}

export interface SessionStore {
  /** The session, unless it is missing or expired at `now`. */
  get(idHash: string, now: number): Promise<SessionRecord | null>;
  set(record: SessionRecord): Promise<void>;
  destroy(idHash: string): Promise<void>;
  /** Signs a user out everywhere; returns how many sessions were removed. */
  destroyAllForUser(userId: string): Promise<number>;
}

export interface Storage {
  readonly kind: 'mongodb' | 'embedded';
  users: UserStore;
  sessions: SessionStore;
  /** Resolves when the database answers; throws KeywardError('unavailable') otherwise. */
  ping(): Promise<void>;
  /** Removes expired documents (a no-op where the database does it with TTL indexes). */
  sweepExpired(now: number): Promise<void>;
  close(): Promise<void>;
}
