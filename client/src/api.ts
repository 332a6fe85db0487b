import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
// One typed function per API route. Errors arrive as ApiError with the server's code.

export interface User {
  id: string;
  username: string;
  displayName: string;
}

export type Factor = 'webauthn' | 'totp' | 'recovery_code';

export interface Credential {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  transports: string[];
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  aaguid: string;
  flagged: boolean;
  /** The key model's name (FIDO metadata or a well-known list), null when unknown. */
  model: string | null;
  /** The model's icon from the FIDO metadata (a data: URL of an image), null when none. */
  modelIcon: string | null;
  attestation: { certification: string | null; hardwareBound: boolean } | null;
  /** Set when the key's model was reported compromised or revoked. */
  modelRevokedBy: string | null;
}
export interface TotpAuthenticator {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** A pending authenticator app: the secret is shown this once. */
export interface TotpEnrollment {
  id: string;
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

export type SessionStatus = 'anonymous' | 'mfa_required' | 'enroll_required' | 'authenticated' | 'reset_required' | 'reset_password';

export interface SessionInfo {
  status: SessionStatus;
  user?: User;
  aal: 0 | 1 | 2;
  factors: Factor[];
  /** false: a passkey-only account. */
  password?: boolean;
  authenticatedAt?: string;
  stepUpAt?: string;
  admin?: true;
  /** With enroll_required: why a person who had second factors must set one up again. */
  enrolReason?: 'mfa_reset';
}

/** PASSWORDS: whether accounts may (optional), must (required) or must not (off) have a password. */
export type Passwords = 'optional' | 'required' | 'off';

export interface PasskeyAccountFields {
  username: string;
  displayName?: string;
  email?: string;
  invitation?: string;
}

/** An account signed in with its new passkey; recovery codes when they are its first. */
export interface PasskeyMade {
  user: User;
  recoveryCodes?: string[];
}

/** The address security notices are mailed to; pending until its link is opened. */
export interface NoticeAddress {
  /** false when the server sends no e-mail. */
  available: boolean;
  address: string | null;
  confirmed: boolean;
}

export interface Notice {
  id: string;
  type: string;
  message: string;
  createdAt: string;
}

export interface ActivityEvent {
  id: string;
  at: string;
  type: string;
  factor: Factor | null;
  /** A second factor that confirmed a change, not a sign-in. */
  stepUp: boolean;
  /** New recovery codes that replaced a set (the first set comes with a first factor). */
  replaced: boolean;
  outcome: 'success' | 'failure' | 'info';
  ip: string | null;
  userAgent: string | null;
}

/** One place the person is signed in (GET /api/me/sessions). */
export interface SignedInSession {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  aal: number;
}

export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  createdAt: string;
  factors: Factor[];
  flaggedKeys: number;
  revokedKeys: { id: string; name: string; model: string | null; status: string }[];
  locked: boolean;
  groups: string[];
  /** Groups from the organisation's directory (read-only here). */
  directoryGroups: string[];
  /** Where the password lives. */
  source: 'local' | 'directory';
  /** 'none': a passkey-only account; 'reset': an administrator's reset waits for the enrolment link. */
  password: 'set' | 'none' | 'reset' | 'directory';
  /** Code points ("U+1160") in the name that render as nothing; empty for most. */
  invisibleCharacters: string[];
}

/** A single-use link an administrator hands on (an invitation, or an enrolment link). */
export interface AccessLink {
  url: string;
  expiresAt: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly retryAfter?: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await request<T>(method, path, body)).data;
}

/** The answer's body and its headers (a paged list names its next page in `Link`). */
async function request<T>(method: string, path: string, body?: unknown): Promise<{ data: T; headers: Headers }> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('network', 'Could not reach the server. Check your connection and try again.', 0);
  }
  if (res.status === 204) return { data: undefined as T, headers: res.headers };
  const data = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok) {
    // The session ended (elsewhere, or a second step lapsed): the page decides how to say so.
    if (res.status === 401 && data?.['error'] === 'unauthenticated') window.dispatchEvent(new Event('keyward:unauthenticated'));
    const retry = Number(res.headers.get('Retry-After'));
    throw new ApiError(
      String(data?.['error'] ?? 'internal_error'),
      String(data?.['message'] ?? 'Something went wrong.'),
      res.status,
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
      (data?.['details'] as Record<string, unknown> | undefined) ?? undefined,
    );
  }
  return { data: data as T, headers: res.headers };
}

/** The cursor of the next page, from `Link: <…&cursor=…>; rel="next"`; null on the last page. */
function nextCursor(headers: Headers): string | null {
  const target = /<([^>]+)>;\s*rel="next"/.exec(headers.get('Link') ?? '')?.[1];
  return target ? new URL(target, window.location.origin).searchParams.get('cursor') : null;
}

export const api = {
  createAccount: (body: { username: string; password: string; displayName?: string; email?: string; invitation?: string }) =>
    call<{ user: User }>('POST', '/api/accounts', body),
  signupMode: () => call<{ mode: 'closed' | 'invite' | 'open'; emailDomains: string[]; passwords: Passwords }>('GET', '/api/signup'),
  passkeySignUpOptions: (body: PasskeyAccountFields) => call<PublicKeyCredentialCreationOptionsJSON>('POST', '/api/accounts/passkey/options', body),
  passkeySignUp: (body: PasskeyAccountFields & { response: RegistrationResponseJSON; defaultName?: string }) => call<PasskeyMade>('POST', '/api/accounts/passkey', body),
  enrolmentPasskeyOptions: (token: string) => call<PublicKeyCredentialCreationOptionsJSON>('POST', '/api/enrolment/passkey/options', { token }),
  enrolmentPasskey: (body: { token: string; response: RegistrationResponseJSON; defaultName?: string }) => call<PasskeyMade>('POST', '/api/enrolment/passkey', body),
  resetPasskeyOptions: () => call<PublicKeyCredentialCreationOptionsJSON>('POST', '/api/password-reset/passkey/options', {}),
  resetPasskey: (body: { response: RegistrationResponseJSON; defaultName?: string }) => call<PasskeyMade>('POST', '/api/password-reset/passkey', body),
  removePassword: () => call<void>('DELETE', '/api/me/password'),
  invitation: (token: string) => call<{ email: string | null; expiresAt: string }>('GET', `/api/signup/invitation?token=${encodeURIComponent(token)}`),
  enrolmentFor: (token: string) => call<{ user: User }>('GET', `/api/enrolment?token=${encodeURIComponent(token)}`),
  completeEnrolment: (token: string, password: string) => call<{ user: User }>('POST', '/api/enrolment', { token, password }),
  requestPasswordReset: (account: string) => call<{ message: string }>('POST', '/api/password-reset', { account }),
  openPasswordReset: (token: string) => call<{ status: 'reset_required'; user: User; factors: Factor[] }>('POST', '/api/password-reset/open', { token }),
  completePasswordReset: (password: string) => call<{ status: 'authenticated'; user: User }>('POST', '/api/password-reset/complete', { password }),
  signIn: (body: { username: string; password: string }) =>
    call<{ status: Exclude<SessionStatus, 'anonymous'>; factors?: Factor[] }>('POST', '/api/session', body),
  getSession: () => call<SessionInfo>('GET', '/api/session'),
  branding: () => call<{ name: string; logoUrl: string | null; passwordHelpUrl: string | null }>('GET', '/api/branding'),
  signOut: () => call<void>('DELETE', '/api/session'),

  webauthnRegistrationOptions: (body: { name?: string }) =>
    call<PublicKeyCredentialCreationOptionsJSON>('POST', '/api/webauthn/registration/options', body),
  webauthnRegistrationVerify: (body: { response: RegistrationResponseJSON; name?: string; defaultName?: string }) =>
    call<{ credential: Credential; recoveryCodes?: string[] }>('POST', '/api/webauthn/registration/verify', body),
  webauthnAuthenticationOptions: (body: { passkey?: true } = {}) => call<PublicKeyCredentialRequestOptionsJSON>('POST', '/api/webauthn/authentication/options', body),
  webauthnAuthenticationVerify: (body: { response: AuthenticationResponseJSON }) =>
    call<{ status: 'authenticated'; user: User }>('POST', '/api/webauthn/authentication/verify', body),
  listCredentials: () => call<Credential[]>('GET', '/api/webauthn/credentials'),
  renameCredential: (id: string, name: string) =>
    call<{ credential: Credential }>('PATCH', `/api/webauthn/credentials/${encodeURIComponent(id)}`, { name }),
  removeCredential: (id: string) => call<void>('DELETE', `/api/webauthn/credentials/${encodeURIComponent(id)}`),

  notices: () => call<Notice[]>('GET', '/api/me/notices'),
  markNoticesRead: (ids?: string[]) => call<void>('POST', '/api/me/notices/read', ids ? { ids } : {}),
  activity: (cursor?: { before: number; beforeId: string }) =>
    call<{ events: ActivityEvent[]; next: number | null; nextId: string | null }>(
      'GET',
      `/api/me/activity?limit=20${cursor ? `&before=${cursor.before}&beforeId=${encodeURIComponent(cursor.beforeId)}` : ''}`,
    ),
  mySessions: () => call<{ sessions: SignedInSession[] }>('GET', '/api/me/sessions'),
  endSession: (id: string) => call<void>('DELETE', `/api/me/sessions/${encodeURIComponent(id)}`),
  endOtherSessions: () => call<{ revoked: number }>('POST', '/api/me/sessions/revoke-others', {}),
  changePassword: (body: { currentPassword?: string; newPassword: string }) => call<void>('POST', '/api/me/password', body),
  noticeAddress: () => call<NoticeAddress>('GET', '/api/me/email'),
  setNoticeAddress: (email: string) => call<NoticeAddress>('POST', '/api/me/email', { email }),
  confirmNoticeAddress: (token: string) => call<{ address: string; confirmed: true }>('POST', '/api/me/email/confirm', { token }),
  removeNoticeAddress: () => call<void>('DELETE', '/api/me/email'),
  async adminUsers(query: string, cursor: string | null, limit: number): Promise<{ users: AdminUser[]; next: string | null }> {
    const params = new URLSearchParams({ query, limit: String(limit), ...(cursor && { cursor }) });
    const { data, headers } = await request<AdminUser[]>('GET', `/api/admin/users?${params}`);
    return { users: data, next: nextCursor(headers) };
  },
  adminAddUser: (body: { username: string; groups?: string[] }) => call<AccessLink & { user: User }>('POST', '/api/admin/users', body),
  adminInvite: (body: { email?: string; groups?: string[] }) => call<AccessLink>('POST', '/api/admin/invitations', body),
  adminChangeGroups: (id: string, add: string[], remove: string[]) =>
    call<{ groups: string[] }>('PATCH', `/api/admin/users/${encodeURIComponent(id)}/groups`, { add, remove }),
  adminAction: (id: string, action: 'reset-mfa' | 'unlock' | 'sessions/revoke') =>
    call<Partial<AccessLink> | undefined>('POST', `/api/admin/users/${encodeURIComponent(id)}/${action}`, {}),

  startTotp: (body: { name?: string }) => call<TotpEnrollment>('POST', '/api/totp/authenticators', body),
  confirmTotp: (id: string, code: string) =>
    call<{ authenticator: TotpAuthenticator; recoveryCodes?: string[] }>('POST', `/api/totp/authenticators/${encodeURIComponent(id)}/confirm`, { code }),
  listTotp: () => call<TotpAuthenticator[]>('GET', '/api/totp/authenticators'),
  renameTotp: (id: string, name: string) =>
    call<{ authenticator: TotpAuthenticator }>('PATCH', `/api/totp/authenticators/${encodeURIComponent(id)}`, { name }),
  removeTotp: (id: string) => call<void>('DELETE', `/api/totp/authenticators/${encodeURIComponent(id)}`),
  verifyTotp: (code: string) => call<{ status: 'authenticated'; user: User }>('POST', '/api/totp/verify', { code }),

  recoveryCodesLeft: () => call<{ remaining: number }>('GET', '/api/recovery-codes'),
  newRecoveryCodes: () => call<{ codes: string[] }>('POST', '/api/recovery-codes', {}),
  verifyRecoveryCode: (code: string) =>
    call<{ status: 'authenticated'; user: User; remaining: number }>('POST', '/api/recovery-codes/verify', { code }),
};
