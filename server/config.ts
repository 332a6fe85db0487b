// The only module that reads the environment. Everything else receives a typed Config.
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { loadOrCreateDevSecrets } from './devSecrets.js';
import { readSecretFiles } from './readSecretFiles.js';
import { CERTIFICATION_LEVELS, type CertificationLevel } from './mds/authenticatorModels.js';
import { directoryConfig, LDAP_ENV, type DirectoryConfig } from './directory/directoryConfig.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const seconds = z.coerce.number().int().positive();
const list = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
// "app.example.com" (that host) or ".example.com" (it and every subdomain).
const returnDomain = z
  .string()
  .transform((d) => d.toLowerCase())
  .refine((d) => HOSTNAME.test(d.startsWith('.') ? d.slice(1) : d), 'each entry must be a host name, or .domain for a domain and its subdomains');

const encryptionKey = z.string().transform((entry, ctx) => {
  const i = entry.indexOf(':');
  const id = entry.slice(0, i);
  const key = Buffer.from(entry.slice(i + 1), 'base64');
  if (i < 1 || !/^[A-Za-z0-9_-]{1,32}$/.test(id) || key.length !== 32) {
    ctx.addIssue({ code: 'custom', message: 'each entry must be id:base64 of 32 bytes (AES-256)' });
    return z.NEVER;
  }
  return { id, key };
});

// Names and defaults in one place; the README configuration table mirrors this.
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/).optional(),
  DB_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  // Connections one process opens to MongoDB; every other operation waits (DB_TIMEOUT_MS at most).
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(20),
  // Requests one process serves at once; the next is answered 503 at once (server/http/inFlightLimit.ts).
  MAX_REQUESTS_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(256),
  DATA_DIR: z.string().min(1).default('./data'),
  EMBEDDED_DURABILITY: z.enum(['normal', 'full']).default('full'),
  RP_ID: z.string().min(1).default('localhost'),
  RP_NAME: z.string().min(1).default('Keyward'),
  BRAND_NAME: z.string().trim().min(1).max(80).optional(),
  BRAND_LOGO_URL: z.url({ protocol: /^https?$/ }).optional(),
  ORIGINS: list.pipe(z.array(z.url({ protocol: /^https?$/ })).min(1)).optional(),
  SESSION_SECRETS: list.pipe(z.array(z.string().min(32, 'each secret needs at least 32 characters')).min(1)).optional(),
  SESSION_MAX_AGE: seconds.default(12 * 3600),
  // NIST SP 800-63B (AAL2): re-authenticate after 30 minutes without activity.
  SESSION_IDLE_TIMEOUT: seconds.min(120).default(30 * 60),
  PENDING_MFA_MAX_AGE: seconds.default(300),
  TOTP_ENCRYPTION_KEYS: list.pipe(z.array(encryptionKey).min(1)).optional(),
  TOTP_PERIOD: z.coerce.number().int().min(10).max(120).default(30),
  TOTP_DIGITS: z.enum(['6', '8']).transform(Number).default(6),
  TOTP_ALGORITHM: z.enum(['SHA1', 'SHA256', 'SHA512']).default('SHA1'),
  MFA_REQUIRED: bool.default(true),
  COOKIE_SECURE: bool.optional(),
  TRUST_PROXY: bool.default(false),
  ATTESTATION: z.enum(['none', 'direct']).default('none'),
  ALLOWED_AAGUIDS: list.pipe(z.array(z.uuid())).default([]),
  // none: any key; direct: ask for attestation (ALLOWED_AAGUIDS then needs one); mds: only keys
  // whose attestation chains to their model's roots in the FIDO metadata (MDS_BLOB_FILE).
  ATTESTATION_POLICY: z.enum(['none', 'direct', 'mds']).optional(),
  MDS_BLOB_FILE: z.string().min(1).optional(),
  MDS_MIN_CERTIFICATION: z.enum(['FIDO_CERTIFIED', ...CERTIFICATION_LEVELS]).default('FIDO_CERTIFIED_L1'),
  WEBAUTHN_HINTS: list.pipe(z.array(z.enum(['security-key', 'client-device', 'hybrid']))).default([]),
  USER_VERIFICATION: z.enum(['required', 'preferred', 'discouraged']).default('preferred'),
  WEBAUTHN_TIMEOUT: seconds.max(600).default(300),
  STEP_UP_MAX_AGE: seconds.default(300),
  // Brute-force limits (failed password, code and key attempts); windows in seconds.
  RATE_LIMIT_ACCOUNT_IP_MAX: z.coerce.number().int().min(1).default(5),
  RATE_LIMIT_ACCOUNT_IP_WINDOW: seconds.default(900),
  // Defaults depend on LDAP_URL (below): under a directory's lock-out threshold when there is one.
  RATE_LIMIT_ACCOUNT_MAX: z.coerce.number().int().min(1).optional(),
  RATE_LIMIT_ACCOUNT_WINDOW: seconds.optional(),
  RATE_LIMIT_IP_MAX: z.coerce.number().int().min(1).default(100),
  RATE_LIMIT_IP_WINDOW: seconds.default(900),
  RATE_LIMIT_BACKOFF_BASE: seconds.default(60),
  RATE_LIMIT_BACKOFF_MAX: seconds.default(3600),
  // A known device (device cookie) has its own budget instead of the account-wide one.
  RATE_LIMIT_DEVICE_MAX: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_DEVICE_WINDOW: seconds.default(900),
  DEVICE_COOKIE_MAX_AGE: seconds.default(180 * 86400),
  // IPv6 clients are counted per network of this many leading bits (one /64 is one subscriber).
  RATE_LIMIT_IPV6_PREFIX: z.coerce.number().int().min(1).max(128).default(64),
  // Per-IP limits on what costs a stored row without a guess: sign-ups, anonymous ceremony starts.
  RATE_LIMIT_SIGNUP_MAX: z.coerce.number().int().min(1).default(20),
  RATE_LIMIT_SIGNUP_WINDOW: seconds.default(3600),
  RATE_LIMIT_CEREMONY_MAX: z.coerce.number().int().min(1).default(100),
  RATE_LIMIT_CEREMONY_WINDOW: seconds.default(900),
  // Password-reset requests: per client address, and per name asked for (existing or not).
  RATE_LIMIT_RESET_IP_MAX: z.coerce.number().int().min(1).default(20),
  RATE_LIMIT_RESET_IP_WINDOW: seconds.default(3600),
  RATE_LIMIT_RESET_ACCOUNT_MAX: z.coerce.number().int().min(1).default(5),
  RATE_LIMIT_RESET_ACCOUNT_WINDOW: seconds.default(3600),
  PASSWORD_RESET_TTL: seconds.min(60).max(86400).default(900),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(64).default(8),
  // optional: a password or a passkey (or both); required: every account has a password;
  // off: passkeys only, and no password is accepted at sign-in (docs/recovery.md).
  PASSWORDS: z.enum(['optional', 'required', 'off']).default('optional'),
  BODY_LIMIT: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(100 * 1024),
  ADMIN_USERNAMES: list.default([]),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  SMTP_FROM: z.string().min(3).default('Keyward <keyward@localhost>'),
  NOTICE_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  NOTICE_WEBHOOK_SECRET: z.string().min(32, 'needs at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CLIENT_DIR: z.string().min(1).optional(),
  // Prometheus metrics: on their own port (off unless set), or on the public one when asked.
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_HOST: z.string().min(1).optional(),
  METRICS_PUBLIC: bool.default(false),
  // Processes serving the port (node:cluster); default: one per core.
  WORKERS: z.coerce.number().int().min(1).max(256).optional(),
  // Secrets from files (docker compose / Kubernetes secrets), read by server/readSecretFiles.ts.
  SESSION_SECRETS_FILE: z.string().min(1).optional(),
  TOTP_ENCRYPTION_KEYS_FILE: z.string().min(1).optional(),
  MONGODB_URI_FILE: z.string().min(1).optional(),
  SMTP_URL_FILE: z.string().min(1).optional(),
  NOTICE_WEBHOOK_SECRET_FILE: z.string().min(1).optional(),
  // Protecting other apps: forward-auth, whoami, session tokens.
  COOKIE_DOMAIN: z
    .string()
    .transform((d) => d.replace(/^\./, '').toLowerCase())
    .pipe(z.string().regex(HOSTNAME, 'must be a domain name such as example.com'))
    .optional(),
  SIGN_IN_URL: z.url({ protocol: /^https?$/ }).optional(),
  AUTHZ_RETURN_DOMAINS: list.pipe(z.array(returnDomain)).optional(),
  TOKEN_AUDIENCE: z.string().min(1).max(256).optional(),
  TOKEN_TTL: seconds.min(30).max(900).default(300),
  SIGNING_KEY_ROTATION: seconds.min(3600).max(90 * 86400).default(7 * 86400),
  // Who may get in: sign-up mode, invitations, per-app access rules.
  SIGNUP: z.enum(['closed', 'invite', 'open']).optional(),
  SIGNUP_EMAIL_DOMAINS: list.pipe(z.array(z.string().transform((d) => d.toLowerCase()).pipe(z.string().regex(HOSTNAME, 'each entry must be a domain name')))).default([]),
  INVITATION_TTL: seconds.max(90 * 86400).default(7 * 86400),
  ACCESS_RULES_FILE: z.string().min(1).optional(),
  // Single sign-on: Keyward as an OpenID Provider.
  OIDC_ISSUER: z
    .url({ protocol: /^https?$/ })
    .refine((u) => !/[?#]/.test(u), 'must not have a query or fragment')
    // The provider is mounted at the issuer's path, beside Keyward's own routes.
    .refine((u) => /^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*\/?$/.test(new URL(u).pathname) && !/^\/(api|\.well-known|signin|signup|assets)(\/|$)/.test(new URL(u).pathname), 'needs a path of its own, e.g. https://sso.example.com/oidc (not /, /api, /.well-known or a page of Keyward)')
    .optional(),
  OIDC_CLIENTS_FILE: z.string().min(1).optional(),
  // RS256 by default: OpenID Connect Discovery requires it, and it is what relying parties
  // that name no algorithm verify (go-oidc's NewVerifier, many others).
  OIDC_DEFAULT_ALG: z.enum(['RS256', 'ES256']).default('RS256'),
  // People from an LDAP directory (server/directory/): the names are in directoryConfig.ts.
  ...LDAP_ENV,
});

export type Env = Record<string, string | undefined>;

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  mongodbUri: string | undefined;
  mongodbDb: string | undefined;
  /** How long a MongoDB operation may wait: for a server, for a connection from the pool, to connect. */
  dbTimeoutMs: number;
  /** MongoDB connections per process (the driver's maxPoolSize). */
  dbPoolSize: number;
  /** Requests one process serves at once; more are answered 503 unavailable without waiting. */
  maxRequestsInFlight: number;
  dataDir: string;
  /** Embedded store: 'full' fsyncs every commit (see storage/embedded/createEmbeddedStorage.ts). */
  embeddedDurability: 'normal' | 'full';
  rpId: string;
  rpName: string;
  /** Shown on every page (BRAND_NAME, else RP_NAME), with BRAND_LOGO_URL when set. */
  brand: { name: string; logoUrl: string | null };
  origins: string[];
  sessionSecrets: string[];
  sessionMaxAgeSeconds: number;
  /** A session also ends after this long without a request (checked to the minute). */
  sessionIdleTimeoutSeconds: number;
  pendingMfaMaxAgeSeconds: number;
  totpEncryptionKeys: { id: string; key: Buffer }[];
  /** Authenticator-app codes; most apps only honour the defaults (30 s, 6 digits, SHA1). */
  totpPeriodSeconds: number;
  totpDigits: 6 | 8;
  totpAlgorithm: 'sha1' | 'sha256' | 'sha512';
  mfaRequired: boolean;
  cookieSecure: boolean;
  trustProxy: boolean;
  /** What registration asks the authenticator for (mds implies direct). */
  attestation: 'none' | 'direct';
  allowedAaguids: string[];
  attestationPolicy: 'none' | 'direct' | 'mds';
  /** FIDO Metadata Service (server/mds/): the blob file imported at start, and the level keys must meet. */
  mds: { blobFile: string | undefined; minCertification: CertificationLevel };
  /** WebAuthn Level 3 hints sent with registration (e.g. security-key). */
  webauthnHints: ('security-key' | 'client-device' | 'hybrid')[];
  userVerification: 'required' | 'preferred' | 'discouraged';
  /** How long a WebAuthn ceremony (and its challenge) stays valid. */
  webauthnTimeoutSeconds: number;
  stepUpMaxAgeSeconds: number;
  /** Failures allowed per bucket and window before back-off starts (seconds). */
  rateLimits: {
    accountIp: { max: number; windowSeconds: number };
    account: { max: number; windowSeconds: number };
    ip: { max: number; windowSeconds: number };
    backoffBaseSeconds: number;
    backoffMaxSeconds: number;
    /** Budget of one known device (device cookie), which replaces the account-wide bucket for it. */
    device: { max: number; windowSeconds: number };
    ipv6Prefix: number;
    signUp: { max: number; windowSeconds: number };
    /** WebAuthn authentication options asked for with nobody pending (passkey sign-in starts). */
    ceremony: { max: number; windowSeconds: number };
    /** Password-reset requests per client address. */
    resetIp: { max: number; windowSeconds: number };
    /** Password-reset requests per name asked for. */
    resetAccount: { max: number; windowSeconds: number };
  };
  /** How long a password-reset link works. */
  passwordResetTtlSeconds: number;
  /** Lifetime of the device cookie set after a full sign-in. */
  deviceCookieMaxAgeSeconds: number;
  passwordMinLength: number;
  passwordMaxLength: number;
  bodyLimitBytes: number;
  adminUsernames: string[];
  /** Outbound security notices: e-mail and/or a signed webhook (both optional). */
  notices: { smtpUrl: string | undefined; smtpFrom: string; webhookUrl: string | undefined; webhookSecret: string | undefined };
  logLevel: string;
  clientDir: string | undefined;
  /** Where /metrics is served: its own port (undefined: nowhere) and/or the public port. */
  metrics: { port: number | undefined; host: string; public: boolean };
  /** Processes serving the port: 1 runs in this process, more fork workers (server/cluster/). */
  workers: number;
  /** Set when one Keyward serves several subdomains (the cookie then cannot be __Host-). */
  cookieDomain: string | undefined;
  /** Protecting other apps: forward-auth, whoami and session tokens. */
  protect: {
    signInUrl: string;
    /** Hosts a return address may point to: exact names, or ".example.com" for it and its subdomains. */
    returnDomains: string[];
    tokenIssuer: string;
    tokenAudience: string;
    /** At most 900 (15 min). */
    tokenTtlSeconds: number;
    /** How long one signing key signs before the next takes over. */
    signingKeyRotationSeconds: number;
  };
  /** Who may get in (server/access/). */
  access: {
    /** closed: administrators add people; invite: an invitation is needed; open: anyone. */
    signup: 'closed' | 'invite' | 'open';
    /** PASSWORDS: whether accounts may (optional), must (required) or must not (off) use a password. */
    passwords: 'optional' | 'required' | 'off';
    /** With open: the e-mail domains a self-made account must give (empty: any). */
    signupEmailDomains: string[];
    /** Default lifetime of invitations and enrolment links. */
    invitationTtlSeconds: number;
    /** YAML rules for /api/authz; undefined: `?aal=` alone decides. */
    rulesFile: string | undefined;
  };
  /**
   * Single sign-on: the OpenID Provider's issuer (its path is where it is mounted), clients
   * file, and the algorithm a client's tokens are signed with when it names none.
   */
  oidc: { issuer: string; clientsFile: string | undefined; defaultAlg: 'RS256' | 'ES256' };
  /** People from an LDAP directory (LDAP_URL set); undefined: local accounts only. */
  directory: DirectoryConfig | undefined;
  /** Where secrets came from, so start-up can say it. */
  generatedSecrets: boolean;
}

/** Reads and validates `env` (process.env in main). Throws ConfigError naming every bad variable. */
export function loadConfig(env: Env): Config {
  // Empty strings mean "unset": docker compose passes `VAR=` through as "".
  const cleaned = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  const files = readSecretFiles(cleaned);
  if (files.problems.length) throw new ConfigError(`Invalid configuration:\n${files.problems.map((p) => `  ${p}`).join('\n')}`);
  const parsed = EnvSchema.safeParse(files.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';

  let sessionSecrets: string[] | undefined = e.SESSION_SECRETS;
  let totpKeys: { id: string; key: Buffer }[] | undefined = e.TOTP_ENCRYPTION_KEYS;
  let generatedSecrets = false;
  if (!sessionSecrets || !totpKeys) {
    if (production) {
      // Each secret has its own shape: the hint is the command that makes that one.
      const missing = [
        !sessionSecrets && `SESSION_SECRETS: required when NODE_ENV=production (generate with: openssl rand -base64 32)`,
        !totpKeys && `TOTP_ENCRYPTION_KEYS: required when NODE_ENV=production (an id and a 32-byte key; generate with: echo "k1:$(openssl rand -base64 32)")`,
      ].filter(Boolean);
      throw new ConfigError(`Invalid configuration:\n  ${missing.join('\n  ')}`);
    }
    // Development: generate once and keep them beside the data, so sessions and
    // encrypted TOTP secrets survive a restart.
    const dev = loadOrCreateDevSecrets(e.DATA_DIR);
    sessionSecrets ??= dev.sessionSecrets;
    totpKeys ??= dev.totpEncryptionKeys;
    generatedSecrets = true;
  }
  if (!sessionSecrets || !totpKeys) throw new ConfigError('secrets could not be loaded');
  if (e.NOTICE_WEBHOOK_URL && !e.NOTICE_WEBHOOK_SECRET) {
    throw new ConfigError('Invalid configuration:\n  NOTICE_WEBHOOK_SECRET: required with NOTICE_WEBHOOK_URL (receivers check the signature with it)');
  }

  if (e.ACCESS_RULES_FILE && !e.TRUST_PROXY) {
    throw new ConfigError('Invalid configuration:\n  ACCESS_RULES_FILE: needs TRUST_PROXY=true (the rules match the host, path, method and address the proxy forwards)');
  }

  // ATTESTATION=direct (older setting) still means the direct policy when no policy is named.
  const attestationPolicy = e.ATTESTATION_POLICY ?? e.ATTESTATION;

  const origins = (e.ORIGINS ?? [`http://localhost:${e.PORT}`]).map((o) => new URL(o).origin);
  const cookieDomain = e.COOKIE_DOMAIN;
  if (cookieDomain) {
    // Browsers drop a cookie whose Domain does not cover the host that sets it.
    const outside = origins.filter((o) => !isWithin(new URL(o).hostname, cookieDomain));
    if (outside.length) throw new ConfigError(`Invalid configuration:\n  COOKIE_DOMAIN: ${cookieDomain} does not cover ${outside.join(', ')}`);
  }

  const directory = directoryConfig(e);
  if (typeof directory === 'string') throw new ConfigError(`Invalid configuration:\n  ${directory}`);

  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    mongodbUri: e.MONGODB_URI,
    mongodbDb: e.MONGODB_DB,
    dbTimeoutMs: e.DB_TIMEOUT_MS,
    dbPoolSize: e.DB_POOL_SIZE,
    maxRequestsInFlight: e.MAX_REQUESTS_IN_FLIGHT,
    dataDir: e.DATA_DIR,
    embeddedDurability: e.EMBEDDED_DURABILITY,
    rpId: e.RP_ID,
    rpName: e.RP_NAME,
    brand: { name: e.BRAND_NAME ?? e.RP_NAME, logoUrl: e.BRAND_LOGO_URL ?? null },
    origins,
    sessionSecrets,
    sessionMaxAgeSeconds: e.SESSION_MAX_AGE,
    sessionIdleTimeoutSeconds: e.SESSION_IDLE_TIMEOUT,
    pendingMfaMaxAgeSeconds: e.PENDING_MFA_MAX_AGE,
    totpEncryptionKeys: totpKeys,
    totpPeriodSeconds: e.TOTP_PERIOD,
    totpDigits: e.TOTP_DIGITS === 8 ? 8 : 6,
    totpAlgorithm: e.TOTP_ALGORITHM === 'SHA256' ? 'sha256' : e.TOTP_ALGORITHM === 'SHA512' ? 'sha512' : 'sha1',
    mfaRequired: e.MFA_REQUIRED,
    cookieSecure: e.COOKIE_SECURE ?? production,
    trustProxy: e.TRUST_PROXY,
    attestation: attestationPolicy === 'none' ? 'none' : 'direct',
    allowedAaguids: e.ALLOWED_AAGUIDS.map((a) => a.toLowerCase()),
    attestationPolicy,
    mds: { blobFile: e.MDS_BLOB_FILE, minCertification: e.MDS_MIN_CERTIFICATION === 'FIDO_CERTIFIED' ? 'FIDO_CERTIFIED_L1' : e.MDS_MIN_CERTIFICATION },
    webauthnHints: e.WEBAUTHN_HINTS,
    userVerification: e.USER_VERIFICATION,
    webauthnTimeoutSeconds: e.WEBAUTHN_TIMEOUT,
    stepUpMaxAgeSeconds: e.STEP_UP_MAX_AGE,
    rateLimits: {
      accountIp: { max: e.RATE_LIMIT_ACCOUNT_IP_MAX, windowSeconds: e.RATE_LIMIT_ACCOUNT_IP_WINDOW },
      // With a directory every failed guess is a failed bind, which the directory counts towards
      // its own lock-out (Active Directory's baseline: 10 in 15 minutes): strangers spending the
      // account-wide budget must not reach it (docs/directory.md#lock-out).
      account: directory
        ? { max: e.RATE_LIMIT_ACCOUNT_MAX ?? 5, windowSeconds: e.RATE_LIMIT_ACCOUNT_WINDOW ?? 900 }
        : { max: e.RATE_LIMIT_ACCOUNT_MAX ?? 100, windowSeconds: e.RATE_LIMIT_ACCOUNT_WINDOW ?? 86400 },
      ip: { max: e.RATE_LIMIT_IP_MAX, windowSeconds: e.RATE_LIMIT_IP_WINDOW },
      backoffBaseSeconds: e.RATE_LIMIT_BACKOFF_BASE,
      backoffMaxSeconds: e.RATE_LIMIT_BACKOFF_MAX,
      device: { max: e.RATE_LIMIT_DEVICE_MAX, windowSeconds: e.RATE_LIMIT_DEVICE_WINDOW },
      ipv6Prefix: e.RATE_LIMIT_IPV6_PREFIX,
      signUp: { max: e.RATE_LIMIT_SIGNUP_MAX, windowSeconds: e.RATE_LIMIT_SIGNUP_WINDOW },
      ceremony: { max: e.RATE_LIMIT_CEREMONY_MAX, windowSeconds: e.RATE_LIMIT_CEREMONY_WINDOW },
      resetIp: { max: e.RATE_LIMIT_RESET_IP_MAX, windowSeconds: e.RATE_LIMIT_RESET_IP_WINDOW },
      resetAccount: { max: e.RATE_LIMIT_RESET_ACCOUNT_MAX, windowSeconds: e.RATE_LIMIT_RESET_ACCOUNT_WINDOW },
    },
    passwordResetTtlSeconds: e.PASSWORD_RESET_TTL,
    deviceCookieMaxAgeSeconds: e.DEVICE_COOKIE_MAX_AGE,
    passwordMinLength: e.PASSWORD_MIN_LENGTH,
    passwordMaxLength: 256,
    bodyLimitBytes: e.BODY_LIMIT,
    // The same normalization as usernames (NFKC, lower case), so "ＢＯＳＳ" names the account "boss".
    adminUsernames: e.ADMIN_USERNAMES.map((u) => u.normalize('NFKC').trim().toLowerCase()),
    notices: { smtpUrl: e.SMTP_URL, smtpFrom: e.SMTP_FROM, webhookUrl: e.NOTICE_WEBHOOK_URL, webhookSecret: e.NOTICE_WEBHOOK_SECRET },
    logLevel: e.LOG_LEVEL,
    clientDir: e.CLIENT_DIR,
    metrics: { port: e.METRICS_PORT, host: e.METRICS_HOST ?? e.HOST, public: e.METRICS_PUBLIC },
    workers: e.WORKERS ?? availableParallelism(),
    cookieDomain,
    protect: {
      signInUrl: e.SIGN_IN_URL ?? `${origins[0]}/signin`,
      returnDomains:
        e.AUTHZ_RETURN_DOMAINS ?? [...new Set([...origins.map((o) => new URL(o).hostname), ...(cookieDomain ? [`.${cookieDomain}`] : [])])],
      tokenIssuer: origins[0]!,
      tokenAudience: e.TOKEN_AUDIENCE ?? origins[0]!,
      tokenTtlSeconds: e.TOKEN_TTL,
      signingKeyRotationSeconds: e.SIGNING_KEY_ROTATION,
    },
    access: {
      // Development opens sign-up so trying Keyward needs no CLI step; main.ts warns about it.
      signup: e.SIGNUP ?? (production ? 'closed' : 'open'),
      passwords: e.PASSWORDS,
      signupEmailDomains: e.SIGNUP_EMAIL_DOMAINS,
      invitationTtlSeconds: e.INVITATION_TTL,
      rulesFile: e.ACCESS_RULES_FILE,
    },
    oidc: { issuer: (e.OIDC_ISSUER ?? `${origins[0]}/oidc`).replace(/\/$/, ''), clientsFile: e.OIDC_CLIENTS_FILE, defaultAlg: e.OIDC_DEFAULT_ALG },
    directory,
    generatedSecrets,
  };
}

function isWithin(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}
