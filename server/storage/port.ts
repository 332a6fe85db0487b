// The storage port: one narrow interface per aggregate, owned by the code that uses it.
// Both adapters (mongo/, embedded/) implement it and pass test/contract/.
// Rules every adapter follows:
// - expiry is always checked in the query itself (TTL indexes only clean up);
// - every security-relevant read-modify-write is ONE atomic conditional operation;
// - connectivity failures surface as KeywardError('unavailable').
import type { Language } from '../language.js';

export interface UserRecord {
  id: string;
  username: string;
  /** Lower-cased NFKC form; the unique key. */
  usernameNormalized: string;
  /**
   * UTS #39 skeleton (server/accounts/usernameSkeleton.ts), unique too: a look-alike of a
   * taken name is refused by the same insert. null only for users stored before it existed
   * and not yet given one (see backfillUsernameSkeletons).
   */
  usernameSkeleton: string | null;
  displayName: string;
  passwordHash: string;
  roles: string[];
  /** Names used by access rules (`group:…`), Remote-Groups and the `groups` token claim. */
  groups: string[];
  /**
   * Set from a bound invitation (the address it was sent to), at sign-up or by an
   * administrator. Unique without regard to case: one address, one account.
   */
  email: string | null;
  createdAt: number;
  /**
   * The language of the pages the person last used (the keyward_lang cookie), which their
   * mails are written in; null until they signed in with one (mails are then in English).
   */
  language: Language | null;
  /**
   * The directory's stable id (entryUUID, objectGUID…) for a person whose password and groups
   * live in an LDAP directory (server/directory/); null or absent for a local account.
   */
  directoryId?: string | null;
  /** The person's groups in the directory, as last read; merged with `groups` (allGroups). */
  directoryGroups?: string[];
}

/** What the directory says about a person, written over Keyward's copy at each look-up. */
export interface DirectoryAttributes {
  username: string;
  usernameNormalized: string;
  usernameSkeleton: string;
  displayName: string;
  email: string | null;
  groups: string[];
}

export interface UserStore {
  /**
   * Inserts a new user; returns false when the normalized username, its skeleton or (without
   * regard to case) its e-mail address is taken. One insert: of simultaneous sign-ups with
   * one address, one wins.
   */
  create(user: UserRecord): Promise<boolean>;
  /** The user whose e-mail address is `address` without regard to case. */
  findByEmail(address: string): Promise<UserRecord | null>;
  /** Users without a skeleton yet, by id after `afterId`. */
  listWithoutSkeleton(afterId: string | null, limit: number): Promise<UserRecord[]>;
  /** Gives a user without one its skeleton; false when another user holds it (or it has one). */
  setSkeleton(id: string, skeleton: string): Promise<boolean>;
  /** Every user's id and name, by id after `afterId` (start-up checks read the whole list in pages). */
  listUsernames(afterId: string | null, limit: number): Promise<Array<{ id: string; username: string }>>;
  findById(id: string): Promise<UserRecord | null>;
  findByUsername(usernameNormalized: string): Promise<UserRecord | null>;
  /** The account record of a directory person (unique). */
  findByDirectoryId(directoryId: string): Promise<UserRecord | null>;
  /**
   * Writes the directory's name, display name, address and groups over a directory person's
   * record. The display name and groups always; a new name or address only when no other
   * account holds it (false then, and the old one stays).
   */
  syncFromDirectory(id: string, from: DirectoryAttributes): Promise<boolean>;
  /** Stores the person's language; a write only when it differs. True when it changed. */
  setLanguage(id: string, language: Language): Promise<boolean>;
  /** Replaces the password hash only if it is still `expected` (used to upgrade KDF parameters). */
  updatePasswordHash(id: string, expected: string, next: string): Promise<boolean>;
  /** Adds or removes a role; false when there is no such user. */
  setRole(usernameNormalized: string, role: string, present: boolean): Promise<boolean>;
  /**
   * Users whose normalized username starts with `prefix`, by username; with `after`, only those
   * whose normalized username sorts after it (the next page: a seek on the unique index, so
   * page 200 of 10,000 people costs what page 1 does).
   */
  search(prefix: string, limit: number, after?: string): Promise<UserRecord[]>;
  /**
   * Adds then removes groups, each an atomic set operation, so two administrators editing
   * different groups of one user both keep their change. The user after, or null.
   */
  changeGroups(id: string, add: string[], remove: string[]): Promise<UserRecord | null>;
}

export interface SessionRecord {
  /** SHA-256 of the session id: a database dump holds no usable session. */
  idHash: string;
  /** Random handle the person sees in their session list (never the cookie value nor idHash). */
  publicId: string;
  userId: string | null;
  data: Record<string, unknown>;
  createdAt: number;
  /** The last request, to the minute (see server/session/sessionLifetime.ts). */
  lastSeenAt: number;
  /** The earlier of the absolute end (SESSION_MAX_AGE after sign-in) and the idle end. */
  expiresAt: number;
  ip: string | null;
  userAgent: string | null;
  aal: number;
}

/** What a request may change in place: the data (a ceremony binding) and the sign of life. */
export interface SessionUpdate {
  data?: Record<string, unknown>;
  lastSeenAt: number;
  expiresAt: number;
  ip: string | null;
}

/** What the apps behind Keyward are told of a session's user (server/protect/createSessionIdentity.ts). */
export interface SessionUserNames {
  username: string;
  displayName: string;
  groups: string[];
}

export interface SessionStore {
  /** The session, unless it is missing or expired at `now`. */
  get(idHash: string, now: number): Promise<SessionRecord | null>;
  /**
   * get() for a forward-auth check. A store that can read the user's names in the same read
   * brings them (`user`: null when the session has no user or the user no longer exists);
   * one that cannot leaves `user` undefined, and the names come from the per-process cache.
   */
  getWithUser(idHash: string, now: number): Promise<(SessionRecord & { user?: SessionUserNames | null }) | null>;
  /** Inserts a new session; false when the id exists (it never overwrites). */
  create(record: SessionRecord): Promise<boolean>;
  /**
   * ONE conditional update: only while the session exists and is unexpired at `now`; never
   * creates it, so a session ended while a request was in flight stays ended. false then.
   */
  update(idHash: string, change: SessionUpdate, now: number): Promise<boolean>;
  /**
   * A new id for a session that carries on (a second factor): `next` is stored only while
   * `oldIdHash` still exists unexpired at `now`, and the old one is removed. false (nothing
   * stored) when the old one had ended.
   */
  rotate(oldIdHash: string, next: SessionRecord, now: number): Promise<boolean>;
  destroy(idHash: string): Promise<void>;
  /** The user's unexpired sessions, most recently seen first. */
  listForUser(userId: string, now: number): Promise<SessionRecord[]>;
  /** Ends the user's session(s) with this public handle; false when there is none. */
  destroyByPublicId(userId: string, publicId: string): Promise<boolean>;
  /** Signs a user out everywhere (but the session `exceptIdHash`); returns how many sessions were removed. */
  destroyAllForUser(userId: string, exceptIdHash?: string): Promise<number>;
}

export type CeremonyPurpose = 'registration' | 'authentication';

export interface ChallengeRecord {
  /** The base64url challenge itself: the key, echoed back inside clientDataJSON. */
  challenge: string;
  /** Random value kept in the session that asked for it: binds the challenge to that session. */
  binding: string;
  purpose: CeremonyPurpose;
  /** Whose ceremony it is; null for a usernameless passkey sign-in. */
  userId: string | null;
  expiresAt: number;
}

export interface ChallengeStore {
  save(c: ChallengeRecord): Promise<void>;
  /**
   * Atomically removes and returns the challenge when binding and purpose match, expired
   * or not (the caller checks expiry), so a challenge is spent by its first use even when
   * that verification then fails. null when there is no such challenge (or it was spent).
   */
  consume(challenge: string, binding: string, purpose: CeremonyPurpose): Promise<ChallengeRecord | null>;
}

export interface CredentialRecord {
  /** Credential id, base64url; unique across all users. */
  id: string;
  userId: string;
  name: string;
  /** COSE public key. */
  publicKey: Uint8Array<ArrayBuffer>;
  counter: number;
  transports: string[];
  aaguid: string;
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  /** Set when a clone signal was seen; the owner should look at it. */
  flagged: boolean;
  createdAt: number;
  lastUsedAt: number | null;
  /** What a verified attestation proved at registration (ATTESTATION_POLICY=mds); null: nothing. */
  attestation: AttestationProof | null;
  /** The revoking status an MDS blob reported for the key's model after it was registered, else null. */
  modelRevokedBy: string | null;
}

/** An attestation statement that verified and chained to its model's roots in the MDS blob. */
export interface AttestationProof {
  /** The model's AAGUID, vouched for by its maker's attestation certificate. */
  aaguid: string;
  /** The model's certification level when registered (e.g. FIDO_CERTIFIED_L1), null when none. */
  certification: string | null;
  /** The model keeps keys in hardware (MDS keyProtection), so they cannot be copied out. */
  hardwareBound: boolean;
}

export type CredentialUse = 'recorded' | 'counter_regressed' | 'missing';

export interface CredentialStore {
  /** false when a credential with this id exists already (for any user). */
  create(c: CredentialRecord): Promise<boolean>;
  findById(id: string): Promise<CredentialRecord | null>;
  listByUser(userId: string): Promise<CredentialRecord[]>;
  countByUser(userId: string): Promise<number>;
  rename(userId: string, id: string, name: string): Promise<CredentialRecord | null>;
  remove(userId: string, id: string): Promise<boolean>;
  /**
   * ONE atomic decision: stores newCounter and the use time only if the counter moved
   * forward (or both stored and new counter are 0, as synced passkeys report). Of uses
   * racing from the same stored counter, one is recorded, the others are counter_regressed.
   */
  recordUse(id: string, use: { newCounter: number; at: number; backedUp: boolean }): Promise<CredentialUse>;
  flag(id: string): Promise<void>;
  removeAllForUser(userId: string): Promise<number>;
  /**
   * Marks every key of model `aaguid` not marked yet as revoked by `status`, each ONE
   * conditional update: returns the keys this call marked (a racing call gets the others),
   * so each owner is told once.
   */
  markModelRevoked(aaguid: string, status: string, at: number): Promise<CredentialRecord[]>;
}

/** A verified FIDO MDS3 blob, kept so every instance uses the same one. */
export interface MdsBlobRecord {
  /** The blob's serial number (`no`); a later blob has a higher one. */
  no: number;
  /** The JWT as downloaded; instances verify it again before use. */
  jwt: string;
  nextUpdate: number;
  storedAt: number;
}

export interface MdsBlobStore {
  /** ONE insert keyed on the serial number (older blobs are then removed): false when that number is stored. */
  save(r: MdsBlobRecord): Promise<boolean>;
  /** The blob with the highest serial number. */
  latest(): Promise<MdsBlobRecord | null>;
  /** Only its serial number: instances poll it cheaply to notice an update. */
  latestSerial(): Promise<number | null>;
}

export interface AuditEvent {
  id: string;
  at: number;
  type: string;
  outcome: 'success' | 'failure' | 'info';
  userId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface AuditStore {
  /** Append-only: events are never updated. */
  append(e: AuditEvent): Promise<void>;
  /**
   * Newest first (events of one millisecond in the order written, last first). `before` pages
   * by time; with `beforeId` (the last event of the previous page, written at `before`) the
   * page goes on right after that event, so events of the same millisecond are not skipped.
   */
  listForUser(userId: string, opts: { limit: number; before?: number; beforeId?: string }): Promise<AuditEvent[]>;
  /** Newest first, any of the filters; `before` pages by time (exclusive), `from`/`to` bound it. */
  query(filter: { userId?: string; type?: string; from?: number; to?: number; before?: number; limit: number }): Promise<AuditEvent[]>;
}

export interface NoticeRecord {
  id: string;
  userId: string;
  /** e.g. factor.added, factor.removed, recovery_code.used, recovery_codes.low, key.clone_suspected, lockout, mfa.reset */
  type: string;
  message: string;
  createdAt: number;
  readAt: number | null;
}

export interface NoticeStore {
  add(n: NoticeRecord): Promise<void>;
  listUnread(userId: string, limit: number): Promise<NoticeRecord[]>;
  /** Marks the given notices (or all, when ids is null) read; returns how many changed. */
  markRead(userId: string, ids: string[] | null, at: number): Promise<number>;
}

/** A TOTP secret encrypted at rest (see server/totp/createSecretSealer.ts). */
export interface SealedSecret {
  /** Which TOTP_ENCRYPTION_KEYS entry sealed it. */
  keyId: string;
  /** base64url of IV (12 bytes) | ciphertext | GCM tag (16 bytes). */
  sealed: string;
}

export interface TotpAuthenticatorRecord {
  id: string;
  userId: string;
  name: string;
  secret: SealedSecret;
  /** false until the person proved their app produces codes; pending ones cannot sign in. */
  confirmed: boolean;
  /** Pending ones only (null once confirmed): the set-up is void after this time. */
  expiresAt: number | null;
  /** Highest time step accepted (the confirming code's included); -1 before that. */
  lastUsedStep: number;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface TotpStore {
  createPending(a: TotpAuthenticatorRecord): Promise<void>;
  /** The pending authenticator, unless it is missing, confirmed, someone else's or expired at `now`. */
  findPending(userId: string, id: string, now: number): Promise<TotpAuthenticatorRecord | null>;
  /**
   * ONE conditional update: a pending, unexpired authenticator becomes confirmed with `step`
   * recorded as used, so the code that confirmed it cannot also sign in. null when it lost.
   */
  confirm(userId: string, id: string, step: number, now: number): Promise<TotpAuthenticatorRecord | null>;
  listConfirmed(userId: string): Promise<TotpAuthenticatorRecord[]>;
  countConfirmed(userId: string): Promise<number>;
  rename(userId: string, id: string, name: string): Promise<TotpAuthenticatorRecord | null>;
  /** Removes a confirmed or pending authenticator and returns what was removed. */
  remove(userId: string, id: string): Promise<TotpAuthenticatorRecord | null>;
  /** Puts back an authenticator that remove() returned (a refused removal). */
  restore(a: TotpAuthenticatorRecord): Promise<void>;
  /** ONE conditional update: accepted only if `step` is later than every step accepted before. */
  recordUse(id: string, step: number, at: number): Promise<boolean>;
  /** Every authenticator, pending or not, ordered by id, for key rotation. */
  listPage(afterId: string | null, limit: number): Promise<TotpAuthenticatorRecord[]>;
  /** Replaces the sealed secret only if it is still `expected` (a concurrent change wins). */
  replaceSecret(id: string, expected: SealedSecret, next: SealedSecret): Promise<boolean>;
  removeAllForUser(userId: string): Promise<number>;
}

export interface RecoverySetRecord {
  userId: string;
  /** Random; codes belong to one set, and only the user's current set counts. */
  setId: string;
  /** base64url; the per-set salt of the code hashes. */
  salt: string;
  createdAt: number;
}

export interface RecoveryCodeStore {
  findSet(userId: string): Promise<RecoverySetRecord | null>;
  /**
   * Makes `set` (with these code hashes) the user's set only if they have none yet; false
   * when one exists, and then none of the new codes is usable.
   */
  createSetIfAbsent(set: RecoverySetRecord, codeHashes: string[]): Promise<boolean>;
  /** Makes `set` the user's set; the codes of the previous set stop working. */
  replaceSet(set: RecoverySetRecord, codeHashes: string[]): Promise<void>;
  /** ONE atomic delete of that code of that set: true for exactly one caller. */
  useCode(userId: string, setId: string, codeHash: string): Promise<boolean>;
  countCodes(userId: string, setId: string): Promise<number>;
  /** Removes the user's set and every code (an administrator's MFA reset). */
  removeAllForUser(userId: string): Promise<number>;
}

/**
 * One guard bucket (e.g. "pw:acct-ip:alice|203.0.113.7") as the guard sizes it. The store
 * keeps, per key, the attempts counted in the current window, the running back-off, and
 * how many back-offs the last day saw (what doubles the next one).
 */
export interface AttemptBucket {
  key: string;
  /** Normalized username the bucket is about (null for per-IP buckets): what unlock clears. */
  account: string | null;
  /** Attempts a window holds; 1 while the bucket remembers a back-off (see reserve). */
  max: number;
  windowMs: number;
  /** When the record stops mattering and may be swept (the guard sets it past window and memory). */
  expiresAt: number;
}

export interface Backoff {
  baseMs: number;
  maxMs: number;
  /** How long a back-off is remembered, so the next one doubles (a day). */
  memoryMs: number;
}

/** One reserved attempt, as the store needs it to give it back. */
export interface AttemptTicket {
  key: string;
  id: string;
}

/**
 * The answer to reserving a guess's buckets: every ticket (in the buckets' order), or a
 * refusal that took nothing. blockedUntil is the latest back-off end among the refusing
 * buckets (null when none is backed off), windowEnd the latest end of a full window among
 * them (null when every refusal was a back-off).
 */
export type Reservation =
  | { reserved: true; tickets: AttemptTicket[] }
  | { reserved: false; blockedUntil: number | null; windowEnd: number | null };

/** One reserved attempt to give back: alone, or (forgetWindow) with every attempt of its window. */
export interface Release {
  ticket: AttemptTicket;
  forgetWindow: boolean;
}

export interface AttemptStore {
  /**
   * Counts one attempt in every bucket, or in none: unless a bucket is backed off or its window
   * (aligned to multiples of windowMs) is full. Never more than `max` per window, whatever the
   * concurrency, on every instance. While a back-off is remembered the window holds a single
   * attempt, so guesses cannot pile up between back-offs. The first bucket is the tight one: a
   * store that cannot decide all at once decides it first, so a burst it refuses touches no
   * other bucket (see the adapters).
   */
  reserveAll(buckets: AttemptBucket[], now: number): Promise<Reservation>;
  /** Gives back reserved attempts (or their windows); never a back-off. */
  releaseAll(releases: Release[]): Promise<void>;
  /**
   * Reserved attempts failed. For each bucket, atomically: when the window is spent (or a
   * back-off is still remembered) and no back-off runs, start one (doubling per remembered
   * back-off, capped) and empty the window. Returns, per bucket, its end or null when none
   * started.
   */
  failAll(buckets: AttemptBucket[], now: number, backoff: Backoff): Promise<(number | null)[]>;
  /** Clears every bucket about `account` (admin unlock). */
  clearAccount(account: string): Promise<number>;
  /** Accounts among `accounts` with a back-off running at `now`. */
  lockedAccounts(accounts: string[], now: number): Promise<string[]>;
  /**
   * true for exactly one caller per `key` and window (aligned to multiples of windowMs), false
   * for every other, however many ask at once and on whichever instance. Not a reservation:
   * a budget of one that overlapping callers may all be refused (MongoDB's `reserve`) would
   * leave the thing done by nobody.
   */
  claimOnce(key: string, windowMs: number, now: number): Promise<boolean>;
}

/** The signature algorithms the key ring keeps a key for (one key of each per slot). */
export type SigningAlg = 'ES256' | 'RS256';

/**
 * A key that signs session tokens (ES256) or OpenID Connect tokens (ES256 or RS256), see
 * server/protect/createSigningKeyRing.ts.
 */
export interface SigningKeyRecord {
  /** Which family the key belongs to: each has its own slots, made and retired on the same schedule. */
  alg: SigningAlg;
  /**
   * The rotation period the key was made for: the unique key, so instances racing to create
   * the key of a period all end up with the same one.
   */
  slot: number;
  /** RFC 7638 thumbprint of the public key. */
  kid: string;
  /** Public JWK (EC: kty, crv, x, y; RSA: kty, n, e), published as is in the JWKS. */
  publicJwk: Record<string, string>;
  /** The private JWK, sealed with the TOTP encryption key (the kid bound as associated data). */
  privateJwk: SealedSecret;
  createdAt: number;
  /** When it may start signing: never before it has been published for a while. */
  activeFrom: number;
}

export interface SigningKeyStore {
  /** ONE insert keyed on (alg, slot): false when that slot has a key of that alg already (another instance won). */
  create(k: SigningKeyRecord): Promise<boolean>;
  /** Every stored key, oldest slot first (ES256 before RS256 within a slot). */
  list(): Promise<SigningKeyRecord[]>;
  /** Removes the `alg` keys of every slot below `slot`; returns how many. */
  removeBefore(alg: SigningAlg, slot: number): Promise<number>;
  /** Replaces the sealed private key only if it is still `expected` (TOTP key rotation). */
  replaceSealed(key: { alg: SigningAlg; slot: number }, expected: SealedSecret, next: SealedSecret): Promise<boolean>;
}

/** A person's address for security notices, once they proved it is theirs. */
export interface NoticeAddressRecord {
  userId: string;
  address: string;
  confirmedAt: number;
}

/** An address waiting for its confirmation link to be opened. */
export interface PendingAddressRecord {
  /** SHA-256 (base64url) of the link's token: a database dump confirms nothing. */
  tokenHash: string;
  userId: string;
  address: string;
  createdAt: number;
  expiresAt: number;
}

export interface NoticeAddressStore {
  /** Makes `p` the user's only pending confirmation: links sent before stop working. */
  savePending(p: PendingAddressRecord): Promise<void>;
  /** The user's pending confirmation, unless there is none or it expired at `now`. */
  findPending(userId: string, now: number): Promise<PendingAddressRecord | null>;
  /**
   * ONE atomic removal: the pending confirmation with this token hash, for exactly one
   * caller, expired or not (the caller checks expiry). null when unknown or spent.
   */
  consumePending(tokenHash: string): Promise<PendingAddressRecord | null>;
  /** Sets (or replaces) the user's confirmed address. */
  setConfirmed(r: NoticeAddressRecord): Promise<void>;
  findConfirmed(userId: string): Promise<NoticeAddressRecord | null>;
  /** A confirmed address equal to `address` without regard to case (any user's), or null. */
  findConfirmedByAddress(address: string): Promise<NoticeAddressRecord | null>;
  /** Removes the user's address and every pending confirmation; returns how many records went. */
  removeForUser(userId: string): Promise<number>;
}

export type InvitationKind = 'invitation' | 'enrolment' | 'password_reset';

/**
 * A single-use link: an invitation to sign up, an enrolment link for an account an administrator
 * added (or reset), or a password-reset link mailed to the account's confirmed address.
 */
export interface InvitationRecord {
  /** SHA-256 (base64url) of the token: a database dump holds no usable link. */
  tokenHash: string;
  kind: InvitationKind;
  /** Invitations only: the address it was issued for; the account gets it. null: not bound. */
  email: string | null;
  /** Groups the new account starts with. */
  groups: string[];
  /** Enrolment links only: the account whose password it sets. */
  userId: string | null;
  createdBy: string | null;
  createdAt: number;
  expiresAt: number;
}

export interface InvitationStore {
  create(r: InvitationRecord): Promise<void>;
  /** The link, unless it is unknown, used or expired at `now` (read only: the page says whom it is for). */
  find(tokenHash: string, kind: InvitationKind, now: number): Promise<InvitationRecord | null>;
  /** ONE atomic delete of the unexpired link: the record for exactly one caller, null for every other. */
  consume(tokenHash: string, kind: InvitationKind, now: number): Promise<InvitationRecord | null>;
  /** Deletes every link of `kind` bound to `userId` (a password reset cancels the older ones); how many. */
  removeForUser(userId: string, kind: InvitationKind): Promise<number>;
}

/**
 * One thing oidc-provider stores (server/oidc/oidcAdapter.ts): a session, grant, code, token,
 * interaction or a client registered with the CLI. `kind` is oidc-provider's model name.
 */
export interface OidcRecord {
  kind: string;
  id: string;
  payload: Record<string, unknown>;
  /** The grant the record belongs to (a Grant is its own), so one call revokes a whole grant. */
  grantId: string | null;
  /** Sessions' and interactions' uid, looked up by findByUid. */
  uid: string | null;
  /** Device-flow user codes (unused today, part of oidc-provider's adapter contract). */
  userCode: string | null;
  /** When it was consumed (codes, rotated refresh tokens), else null. */
  consumedAt: number | null;
  /** null: never expires (registered clients). */
  expiresAt: number | null;
  /**
   * The Keyward session (its public handle) a provider session or grant was made in: ending
   * that Keyward session ends them (revokeByKeywardSession). null for everything else.
   */
  keywardSession: string | null;
}

/** What upsert takes: keywardSession, when null or absent, is kept as stored. */
export type OidcUpsert = Omit<OidcRecord, 'consumedAt' | 'keywardSession'> & { keywardSession?: string | null };

export interface OidcStore {
  /** Inserts or replaces the record of that kind and id (consumedAt is kept as stored). */
  upsert(r: OidcUpsert): Promise<void>;
  /** The record unless it is missing or expired at `now`. */
  find(kind: string, id: string, now: number): Promise<OidcRecord | null>;
  findByUid(kind: string, uid: string, now: number): Promise<OidcRecord | null>;
  findByUserCode(kind: string, userCode: string, now: number): Promise<OidcRecord | null>;
  /**
   * ONE atomic conditional update: marks the record consumed only if it is not yet; true for
   * exactly one caller, even when instances race (an authorization code is redeemed once).
   */
  consume(kind: string, id: string, at: number): Promise<boolean>;
  destroy(kind: string, id: string): Promise<void>;
  /** Removes every record of the grant (of `kind` only, or of every kind when null). */
  revokeByGrantId(kind: string | null, grantId: string): Promise<number>;
  /** Every record of `kind`, by id (the CLI's client list). */
  listKind(kind: string): Promise<OidcRecord[]>;
  /** The records of `kind` still tagged with a Keyward session (endExpiredSessions.ts), from its index. */
  listTagged(kind: string): Promise<OidcRecord[]>;
  /**
   * Ends what was made under these Keyward sessions: removes the records tagged with one of
   * the handles (provider sessions, grants) and every record of those grants (codes, access
   * and refresh tokens), in one delete. Returns the grants revoked, with whose and which
   * client's they were (back-channel logout tells those clients).
   */
  revokeByKeywardSession(handles: string[]): Promise<RevokedGrant[]>;
  /**
   * For Keyward sessions that expired: forgets which session the grants were made in (they
   * keep their tokens and lifetimes) and returns them, each to one caller when two race on
   * the embedded store (on MongoDB both may get one: what is done with them must be idempotent).
   */
  releaseKeywardSessions(handles: string[]): Promise<RevokedGrant[]>;
}

export interface RevokedGrant {
  grantId: string;
  /** From the grant's record; null when only its tokens were left. */
  clientId: string | null;
  accountId: string | null;
  /** The Keyward session it was made in. */
  keywardSession: string | null;
}

/**
 * A back-channel logout token owed to a client (OpenID Connect Back-Channel Logout 1.0):
 * one per client and ended session, delivered from a queue in the database so that it
 * survives a restart and is retried when the client does not answer.
 */
export interface LogoutDelivery {
  /** One per (sid, client): enqueuing the same one again is a no-op. */
  id: string;
  clientId: string;
  sub: string;
  /** The Keyward session's public handle: the sid of the ID tokens issued in it. */
  sid: string;
  /** Failed deliveries so far. */
  attempts: number;
  /** Which claim this is: finish and retry apply only to the latest claim. */
  round: number;
}

export interface LogoutQueueStore {
  /** Queues those not queued yet (an id already there, pending or done, is left as it is). */
  enqueue(items: Pick<LogoutDelivery, 'id' | 'clientId' | 'sub' | 'sid'>[], now: number): Promise<void>;
  /**
   * Up to `limit` deliveries due at `now` and not leased, each leased to this caller until
   * now + leaseMs: ONE atomic step per delivery, so two instances never claim the same one.
   * A lease that runs out (its holder died) makes the delivery claimable again.
   */
  claim(now: number, leaseMs: number, limit: number): Promise<LogoutDelivery[]>;
  /** Delivered or given up: kept (not due) until keepUntil, so a late duplicate stays a no-op. */
  finish(id: string, round: number, keepUntil: number): Promise<void>;
  /** Failed: due again at dueAt, with one more attempt counted and the lease released. */
  retry(id: string, round: number, dueAt: number): Promise<void>;
}

export interface Storage {
  readonly kind: 'mongodb' | 'embedded';
  attempts: AttemptStore;
  notices: NoticeStore;
  users: UserStore;
  sessions: SessionStore;
  challenges: ChallengeStore;
  credentials: CredentialStore;
  audit: AuditStore;
  totp: TotpStore;
  recovery: RecoveryCodeStore;
  signingKeys: SigningKeyStore;
  noticeAddresses: NoticeAddressStore;
  invitations: InvitationStore;
  oidc: OidcStore;
  mdsBlobs: MdsBlobStore;
  logoutQueue: LogoutQueueStore;
  /** Resolves when the database answers; throws KeywardError('unavailable') otherwise. */
  ping(): Promise<void>;
  /** Removes expired documents (a no-op where the database does it with TTL indexes). */
  sweepExpired(now: number): Promise<void>;
  close(): Promise<void>;
}
