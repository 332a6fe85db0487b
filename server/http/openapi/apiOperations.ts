// Every operation of the API with the SAME zod schemas its route validates with (imported
// from the route files), plus what the route answers. buildOpenApiDocument turns this into
// OpenAPI; test/unit/openApi.test.ts holds it to the routes the app really registers.
import type { z } from 'zod';
import type { Config } from '../../config.js';
import type { ErrorCode } from '../../errors.js';
import { createTotpCodes } from '../../totp/createTotpCodes.js';
import { createAccountBody, signInBody } from '../schemas.js';
import { webauthnBodies } from '../routes/webauthnRoutes.js';
import { totpBodies } from '../routes/totpRoutes.js';
import { recoveryBodies } from '../routes/recoveryRoutes.js';
import { meSchemas } from '../routes/meRoutes.js';
import { mySessionsSchemas } from '../routes/mySessionsRoutes.js';
import { noticeAddressBodies } from '../routes/noticeAddressRoutes.js';
import { adminSchemas } from '../routes/adminRoutes.js';
import { authzQuery, returnQuery } from '../routes/authzRoutes.js';
import { tokenBody } from '../routes/tokenRoutes.js';
import { accessOperations } from './accessOperations.js';
import { passwordResetBodies } from '../routes/passwordResetRoutes.js';

type Json = Record<string, unknown>;

export interface ApiOperation {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI syntax: /api/totp/authenticators/{id} */
  path: string;
  tag: string;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  /** Path parameters and their schema. */
  params?: Record<string, z.ZodType | Json>;
  /** Whether the session cookie matters. */
  session: boolean;
  ok: { status: number; description: string; schema?: Json; headers?: string[]; contentType?: string };
  /** Other successful answers, such as a redirect. */
  also?: { status: number; description: string; headers?: string[] }[];
  /** Codes this operation itself answers with; Origin, body and database errors are added by the builder. */
  errors: ErrorCode[];
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const arrayOf = (items: Json): Json => ({ type: 'array', items });
const obj = (properties: Record<string, Json>, required: string[] = Object.keys(properties)): Json => ({ type: 'object', properties, required });
const id = { type: 'string', minLength: 1, maxLength: 64 };

export function apiOperations(config: Config): ApiOperation[] {
  const totp = totpBodies(createTotpCodes({ periodSeconds: config.totpPeriodSeconds, digits: config.totpDigits, algorithm: config.totpAlgorithm }));
  const accountBody = createAccountBody({ min: config.passwordMinLength, max: config.passwordMaxLength });
  // reset_password: the second factor of a password reset, which signs in to nothing yet.
  const verified = { enum: ['authenticated', 'reset_password'] };
  const authenticated = obj({ status: verified, user: ref('User') });
  const reset = passwordResetBodies({ min: config.passwordMinLength, max: config.passwordMaxLength });
  const ops: ApiOperation[] = [
    // Accounts and session
    { method: 'post', path: '/api/accounts', tag: 'session', summary: 'Create an account (signed in at aal 1); SIGNUP decides whether an invitation is needed', body: accountBody, session: true, ok: { status: 201, description: 'Created', schema: obj({ user: ref('User') }) }, errors: ['invalid_request', 'username_taken', 'email_taken', 'forbidden', 'too_many_attempts'] },
    { method: 'post', path: '/api/session', tag: 'session', summary: 'Sign in with username and password (refused alike for every name with PASSWORDS=off)', body: signInBody, session: true, ok: { status: 200, description: 'Next step', schema: obj({ status: { enum: ['mfa_required', 'enroll_required', 'authenticated'] }, factors: arrayOf(ref('Factor')) }, ['status']) }, errors: ['invalid_credentials', 'too_many_attempts', 'forbidden'] },
    { method: 'get', path: '/api/branding', tag: 'session', summary: 'The operator’s name and logo, shown on every page', session: false, ok: { status: 200, description: 'Branding', schema: obj({ name: { type: 'string', minLength: 1, maxLength: 80 }, logoUrl: { type: ['string', 'null'], format: 'uri' }, passwordHelpUrl: { type: ['string', 'null'], format: 'uri', description: 'Where people from the LDAP directory change or reset their password' } }) }, errors: [] },
    { method: 'get', path: '/api/session', tag: 'session', summary: 'The session state', session: true, ok: { status: 200, description: 'Session', schema: ref('Session') }, errors: [] },
    { method: 'delete', path: '/api/session', tag: 'session', summary: 'Sign out', session: true, ok: { status: 204, description: 'Signed out' }, errors: [] },
    // A forgotten password
    { method: 'post', path: '/api/password-reset', tag: 'session', summary: 'Ask for a password-reset link: mailed to the account’s confirmed address, if it has one. The same answer whether or not the account exists; limited per client address and per name', body: reset.request, session: false, ok: { status: 202, description: 'The same words for every request', schema: obj({ message: { type: 'string' } }) }, errors: ['invalid_request', 'too_many_attempts'] },
    { method: 'post', path: '/api/password-reset/open', tag: 'session', summary: 'Use a password-reset link (once): the session is then in reset_required, and a second factor of the account comes next', body: reset.open, session: true, ok: { status: 200, description: 'Whose link it is, and which factors can confirm the reset', schema: obj({ status: { const: 'reset_required' }, user: ref('User'), factors: arrayOf(ref('Factor')) }) }, errors: ['invalid_request', 'forbidden'] },
    { method: 'post', path: '/api/password-reset/complete', tag: 'session', summary: 'Set the new password after the link and a second factor (reset_password); every other session ends, this one is signed in', body: reset.complete, session: true, ok: { status: 200, description: 'Signed in', schema: obj({ status: { const: 'authenticated' }, user: ref('User') }) }, errors: ['invalid_request', 'forbidden'] },
    { method: 'post', path: '/api/password-reset/passkey/options', tag: 'session', summary: 'Creation options for a passkey in place of the forgotten password (reset_password)', body: reset.passkeyOptions, session: true, ok: { status: 200, description: 'PublicKeyCredentialCreationOptionsJSON', schema: { type: 'object' } }, errors: ['invalid_request', 'forbidden'] },
    { method: 'post', path: '/api/password-reset/passkey', tag: 'session', summary: 'Finish the reset with a new passkey instead of a password: the account is passkey-only, every other session ends, this one is signed in', body: reset.passkey, session: true, ok: { status: 200, description: 'Signed in', schema: obj({ status: { const: 'authenticated' }, user: ref('User'), credential: ref('Credential'), recoveryCodes: arrayOf({ type: 'string' }) }, ['status', 'user', 'credential']) }, errors: ['invalid_request', 'forbidden', 'already_registered', 'webauthn_verification_failed'] },
    // Security keys
    { method: 'post', path: '/api/webauthn/registration/options', tag: 'webauthn', summary: 'Creation options for a new key', body: webauthnBodies.registrationOptions, session: true, ok: { status: 200, description: 'PublicKeyCredentialCreationOptionsJSON', schema: { type: 'object' } }, errors: ['unauthenticated', 'mfa_required', 'step_up_required'] },
    { method: 'post', path: '/api/webauthn/registration/verify', tag: 'webauthn', summary: 'Register a key', body: webauthnBodies.registrationVerify, session: true, ok: { status: 201, description: 'Registered', schema: obj({ credential: ref('Credential'), recoveryCodes: arrayOf({ type: 'string' }) }, ['credential']) }, errors: ['unauthenticated', 'mfa_required', 'webauthn_verification_failed', 'already_registered', 'forbidden'] },
    { method: 'post', path: '/api/webauthn/authentication/options', tag: 'webauthn', summary: 'Request options (the pending user’s keys, or a passkey sign-in)', body: webauthnBodies.authenticationOptions, session: true, ok: { status: 200, description: 'PublicKeyCredentialRequestOptionsJSON', schema: { type: 'object' } }, errors: [] },
    { method: 'post', path: '/api/webauthn/authentication/verify', tag: 'webauthn', summary: 'Sign in (second factor, step-up or passkey) with a key', body: webauthnBodies.authenticationVerify, session: true, ok: { status: 200, description: 'Signed in', schema: authenticated }, errors: ['webauthn_verification_failed', 'too_many_attempts'] },
    { method: 'get', path: '/api/webauthn/credentials', tag: 'webauthn', summary: 'The user’s keys', session: true, ok: { status: 200, description: 'Keys', schema: arrayOf(ref('Credential')) }, errors: ['unauthenticated', 'mfa_required'] },
    { method: 'patch', path: '/api/webauthn/credentials/{id}', tag: 'webauthn', summary: 'Rename a key', params: { id }, body: webauthnBodies.rename, session: true, ok: { status: 200, description: 'Renamed', schema: obj({ credential: ref('Credential') }) }, errors: ['unauthenticated', 'mfa_required', 'not_found'] },
    { method: 'delete', path: '/api/webauthn/credentials/{id}', tag: 'webauthn', summary: 'Remove a key (needs step-up)', params: { id }, session: true, ok: { status: 204, description: 'Removed' }, errors: ['unauthenticated', 'mfa_required', 'step_up_required', 'not_found', 'last_factor'] },
    // Authenticator apps
    { method: 'post', path: '/api/totp/authenticators', tag: 'totp', summary: 'Start adding an authenticator app', body: totp.begin, session: true, ok: { status: 201, description: 'Pending until confirmed', schema: obj({ id: { type: 'string' }, secret: { type: 'string' }, otpauthUri: { type: 'string' }, qrSvg: { type: 'string' } }) }, errors: ['unauthenticated', 'mfa_required'] },
    { method: 'post', path: '/api/totp/authenticators/{id}/confirm', tag: 'totp', summary: 'Confirm an authenticator app with a current code', params: { id }, body: totp.code, session: true, ok: { status: 200, description: 'Confirmed', schema: obj({ authenticator: ref('Authenticator'), recoveryCodes: arrayOf({ type: 'string' }) }, ['authenticator']) }, errors: ['unauthenticated', 'mfa_required', 'not_found', 'invalid_code'] },
    { method: 'get', path: '/api/totp/authenticators', tag: 'totp', summary: 'The user’s confirmed authenticator apps', session: true, ok: { status: 200, description: 'Apps', schema: arrayOf(ref('Authenticator')) }, errors: ['unauthenticated', 'mfa_required'] },
    { method: 'patch', path: '/api/totp/authenticators/{id}', tag: 'totp', summary: 'Rename an authenticator app', params: { id }, body: totp.rename, session: true, ok: { status: 200, description: 'Renamed', schema: obj({ authenticator: ref('Authenticator') }) }, errors: ['unauthenticated', 'mfa_required', 'not_found'] },
    { method: 'delete', path: '/api/totp/authenticators/{id}', tag: 'totp', summary: 'Remove an authenticator app (needs step-up)', params: { id }, session: true, ok: { status: 204, description: 'Removed' }, errors: ['unauthenticated', 'mfa_required', 'step_up_required', 'not_found', 'last_factor'] },
    { method: 'post', path: '/api/totp/verify', tag: 'totp', summary: 'Sign in (second factor or step-up) with an authenticator code', body: totp.code, session: true, ok: { status: 200, description: 'Signed in', schema: authenticated }, errors: ['unauthenticated', 'invalid_code', 'too_many_attempts'] },
    // Recovery codes
    { method: 'get', path: '/api/recovery-codes', tag: 'recovery', summary: 'How many recovery codes are left', session: true, ok: { status: 200, description: 'Count', schema: obj({ remaining: { type: 'integer' } }) }, errors: ['unauthenticated', 'mfa_required'] },
    { method: 'post', path: '/api/recovery-codes', tag: 'recovery', summary: 'A new set of recovery codes (needs step-up)', body: recoveryBodies.regenerate, session: true, ok: { status: 201, description: 'Shown once', schema: obj({ codes: arrayOf({ type: 'string' }) }) }, errors: ['unauthenticated', 'mfa_required', 'step_up_required'] },
    { method: 'post', path: '/api/recovery-codes/verify', tag: 'recovery', summary: 'Sign in (second factor or step-up) with a recovery code', body: recoveryBodies.verify, session: true, ok: { status: 200, description: 'Signed in', schema: obj({ status: verified, user: ref('User'), remaining: { type: 'integer' } }) }, errors: ['unauthenticated', 'invalid_code', 'too_many_attempts'] },
    // The person's own account
    { method: 'get', path: '/api/me/activity', tag: 'me', summary: 'Own security events, newest first', query: meSchemas.activityQuery, session: true, ok: { status: 200, description: 'Events', schema: obj({ events: arrayOf({ type: 'object', properties: { id: { type: 'string' }, at: { type: 'string', format: 'date-time' }, type: { type: 'string' }, outcome: { enum: ['success', 'failure', 'info'] }, ip: { type: ['string', 'null'] }, userAgent: { type: ['string', 'null'] }, factor: { enum: ['webauthn', 'totp', 'recovery_code', null] }, stepUp: { type: 'boolean' }, replaced: { type: 'boolean', description: 'recovery_codes.issued: this set replaced an earlier one' } } }), next: { type: ['integer', 'null'] }, nextId: { type: ['string', 'null'] } }) }, errors: ['invalid_request', 'unauthenticated', 'mfa_required'] },
    { method: 'get', path: '/api/me/notices', tag: 'me', summary: 'Unread security notices', session: true, ok: { status: 200, description: 'Notices', schema: arrayOf(obj({ id: { type: 'string' }, type: { type: 'string' }, message: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' } })) }, errors: ['unauthenticated', 'mfa_required'] },
    { method: 'get', path: '/api/me/sessions', tag: 'me', summary: 'Where the person is signed in (this session marked current)', session: true, ok: { status: 200, description: 'Sessions', schema: obj({ sessions: arrayOf(obj({ id: { type: 'string', description: 'An opaque handle, never the cookie value' }, current: { type: 'boolean' }, createdAt: { type: 'string', format: 'date-time' }, lastSeenAt: { type: 'string', format: 'date-time' }, expiresAt: { type: 'string', format: 'date-time' }, ip: { type: ['string', 'null'] }, userAgent: { type: ['string', 'null'] }, aal: { type: 'integer' } })) }) }, errors: ['unauthenticated', 'mfa_required'] },
    { method: 'delete', path: '/api/me/sessions/{id}', tag: 'me', summary: 'Sign one of the sessions out', params: { id: mySessionsSchemas.sessionId }, session: true, ok: { status: 204, description: 'Signed out' }, errors: ['invalid_request', 'unauthenticated', 'mfa_required', 'not_found'] },
    { method: 'post', path: '/api/me/sessions/revoke-others', tag: 'me', summary: 'Sign every other session out', body: mySessionsSchemas.revokeOthers, session: true, ok: { status: 200, description: 'How many ended', schema: obj({ revoked: { type: 'integer' } }) }, errors: ['unauthenticated', 'mfa_required'] },
    { method: 'delete', path: '/api/me/password', tag: 'me', summary: 'Remove the password: passkey-only from now on (needs a step-up with a passkey, {"passkey": true} in the authentication options); every other session ends. Refused with PASSWORDS=required', session: true, ok: { status: 204, description: 'Removed' }, errors: ['unauthenticated', 'mfa_required', 'step_up_required', 'forbidden', 'not_found', 'last_factor'] },
    { method: 'post', path: '/api/me/password', tag: 'me', summary: 'Change the password (needs step-up); every other session ends. A passkey-only account sets one without currentPassword (not with PASSWORDS=off)', body: mySessionsSchemas.changePassword({ min: config.passwordMinLength, max: config.passwordMaxLength }), session: true, ok: { status: 204, description: 'Changed' }, errors: ['invalid_request', 'unauthenticated', 'mfa_required', 'step_up_required', 'invalid_credentials', 'too_many_attempts', 'forbidden'] },
    { method: 'get', path: '/api/me/email', tag: 'me', summary: 'The address for security notices (pending until its link is opened)', session: true, ok: { status: 200, description: 'Address', schema: ref('NoticeAddress') }, errors: ['unauthenticated', 'mfa_required'] },
    { method: 'post', path: '/api/me/email', tag: 'me', summary: 'Set the address for security notices: mails it a single-use confirmation link (needs step-up)', body: noticeAddressBodies.set, session: true, ok: { status: 202, description: 'Pending; a link was sent', schema: ref('NoticeAddress') }, errors: ['invalid_request', 'unauthenticated', 'mfa_required', 'step_up_required'] },
    { method: 'post', path: '/api/me/email/confirm', tag: 'me', summary: 'Confirm the address with the token from the link (works once, expires; an unknown, used or expired token is 400 invalid_request, like any wrong proof)', body: noticeAddressBodies.confirm, session: false, ok: { status: 200, description: 'Confirmed', schema: obj({ address: { type: 'string' }, confirmed: { const: true } }) }, errors: ['invalid_request'] },
    { method: 'delete', path: '/api/me/email', tag: 'me', summary: 'Remove the address for security notices (needs step-up)', session: true, ok: { status: 204, description: 'Removed' }, errors: ['unauthenticated', 'mfa_required', 'step_up_required'] },
    { method: 'post', path: '/api/me/notices/read', tag: 'me', summary: 'Mark notices (or all) read', body: meSchemas.noticesRead, session: true, ok: { status: 204, description: 'Read' }, errors: ['unauthenticated', 'mfa_required'] },
    // Administration: an administrator at aal 2 with a fresh second factor
    ...(['users', 'audit'] as const).map(
      (what): ApiOperation => ({
        method: 'get',
        path: `/api/admin/${what}`,
        tag: 'admin',
        summary: what === 'users' ? 'Users with their factors and lock state, by username, one page at a time' : 'Audit events, newest first',
        query: what === 'users' ? adminSchemas.usersQuery : adminSchemas.auditQuery,
        session: true,
        ok: {
          status: 200,
          description: what === 'users' ? 'One page of users; when more follow, `Link: </api/admin/users?…&cursor=…>; rel="next"` names the next page' : 'Events',
          schema: what === 'users' ? arrayOf(ref('AdminUser')) : obj({ events: arrayOf({ type: 'object' }), next: { type: ['integer', 'null'] } }),
          ...(what === 'users' && { headers: ['Link'] }),
        },
        errors: ['invalid_request', 'unauthenticated', 'mfa_required', 'forbidden', 'step_up_required'],
      }),
    ),
    ...(
      [
        ['reset-mfa', 'Remove every second factor, the password and every session of a user; answers the single-use enrolment link that lets them back in', 200],
        ['unlock', 'Clear a user’s failed-attempt back-offs', 204],
        ['sessions/revoke', 'Sign a user out everywhere', 200],
      ] as const
    ).map(
      ([action, summary, status]): ApiOperation => ({
        method: 'post',
        path: `/api/admin/users/{id}/${action}`,
        tag: 'admin',
        summary,
        params: { id: adminSchemas.userId },
        session: true,
        ok: { status, description: 'Done', ...(status === 200 && { schema: action === 'reset-mfa' ? obj({ removed: { type: 'object' }, url: { type: 'string', format: 'uri' }, expiresAt: { type: 'string', format: 'date-time' } }) : { type: 'object' } }) },
        errors: ['invalid_request', 'unauthenticated', 'mfa_required', 'forbidden', 'step_up_required', 'not_found'],
      }),
    ),
    ...accessOperations(config),
    // Protecting other apps
    { method: 'get', path: '/api/authz', tag: 'protect', summary: 'Forward-auth for reverse proxies', query: authzQuery, session: true, ok: { status: 200, description: 'Allowed; identity in Remote-User, Remote-Name, Remote-Groups, Remote-AAL, Remote-AMR', headers: ['Remote-User', 'Remote-Name', 'Remote-Groups', 'Remote-AAL', 'Remote-AMR'], schema: { type: 'object' } }, also: [{ status: 302, description: 'With redirect=true, instead of 401: to the sign-in page, which returns the person to rd (or the forwarded address) afterwards', headers: ['Location'] }], errors: ['invalid_request', 'unauthenticated', 'forbidden'] },
    { method: 'get', path: '/api/authz/return', tag: 'protect', summary: 'Whether the sign-in page may return the person to `rd` (AUTHZ_RETURN_DOMAINS)', query: returnQuery, session: false, ok: { status: 200, description: 'The allowed address, or null', schema: obj({ rd: { type: ['string', 'null'] } }, ['rd']) }, errors: ['invalid_request'] },
    { method: 'get', path: '/api/whoami', tag: 'protect', summary: 'Who is signed in', session: true, ok: { status: 200, description: 'Identity', schema: obj({ user: ref('User'), aal: { type: 'integer' }, amr: arrayOf({ type: 'string' }), authenticatedAt: { type: 'string' }, expiresAt: { type: 'string' } }, ['user', 'aal']) }, errors: ['unauthenticated'] },
    { method: 'post', path: '/api/token', tag: 'protect', summary: 'A short-lived ES256 session token', body: tokenBody, session: true, ok: { status: 200, description: 'Token', schema: obj({ token: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } }) }, errors: ['unauthenticated', 'mfa_required'] },
    { method: 'get', path: '/.well-known/jwks.json', tag: 'protect', summary: 'Public keys that verify session tokens', session: false, ok: { status: 200, description: 'JWKS', schema: obj({ keys: arrayOf({ type: 'object' }) }) }, errors: [] },
    // Operations
    { method: 'get', path: '/healthz', tag: 'operations', summary: 'Liveness', session: false, ok: { status: 200, description: 'Alive', schema: obj({ status: { const: 'ok' } }) }, errors: [] },
    { method: 'get', path: '/readyz', tag: 'operations', summary: 'Readiness: the database answers', session: false, ok: { status: 200, description: 'Ready', schema: obj({ status: { const: 'ready' } }) }, errors: [] },
    { method: 'get', path: '/api/openapi.json', tag: 'operations', summary: 'This description', session: false, ok: { status: 200, description: 'OpenAPI 3.1', schema: { type: 'object' } }, errors: [] },
  ];
  if (config.metrics.public) {
    ops.push({ method: 'get', path: '/metrics', tag: 'operations', summary: 'Prometheus metrics (METRICS_PUBLIC=true)', session: false, ok: { status: 200, description: 'Prometheus text format', contentType: 'text/plain', schema: { type: 'string' } }, errors: [] });
  }
  return ops;
}
