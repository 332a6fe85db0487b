// Who may get in: sign-up modes, invitations, enrolment links and groups (see apiOperations.ts).
import type { Config } from '../../config.js';
import { adminSchemas } from '../routes/adminRoutes.js';
import { signupSchemas } from '../routes/signupRoutes.js';
import { passkeyAccountBodies } from '../routes/passkeyAccountRoutes.js';
import type { ApiOperation } from './apiOperations.js';

type Json = Record<string, unknown>;
const obj = (properties: Record<string, Json>, required: string[] = Object.keys(properties)): Json => ({ type: 'object', properties, required });
const link = obj({ url: { type: 'string', format: 'uri' }, expiresAt: { type: 'string', format: 'date-time' } });
const groups = { type: 'array', items: { type: 'string' } };
const user = { $ref: '#/components/schemas/User' };
const adminErrors = ['invalid_request', 'unauthenticated', 'mfa_required', 'forbidden', 'step_up_required'] as const;

export function accessOperations(config: Config): ApiOperation[] {
  const s = signupSchemas({ min: config.passwordMinLength, max: config.passwordMaxLength });
  return [
    { method: 'get', path: '/api/signup', tag: 'session', summary: 'Who may sign up (SIGNUP, SIGNUP_EMAIL_DOMAINS)', session: false, ok: { status: 200, description: 'Mode', schema: obj({ mode: { enum: ['closed', 'invite', 'open'] }, emailDomains: groups, passwords: { enum: ['optional', 'required', 'off'], description: 'PASSWORDS: whether accounts may, must or must not have a password' } }) }, errors: [] },
    { method: 'post', path: '/api/accounts/passkey/options', tag: 'session', summary: 'Creation options for a new account’s passkey (discoverable, user verification required); nothing is created yet. Refused with PASSWORDS=required', body: passkeyAccountBodies.signUpOptions, session: true, ok: { status: 200, description: 'PublicKeyCredentialCreationOptionsJSON', schema: { type: 'object' } }, errors: ['invalid_request', 'forbidden', 'username_taken', 'email_taken', 'too_many_attempts'] },
    { method: 'post', path: '/api/accounts/passkey', tag: 'session', summary: 'Create a passkey-only account with the passkey’s answer: signed in at aal 2, recovery codes shown once', body: passkeyAccountBodies.signUp, session: true, ok: { status: 201, description: 'Created and signed in', schema: obj({ user, credential: { $ref: '#/components/schemas/Credential' }, recoveryCodes: groups }, ['user', 'credential']) }, errors: ['invalid_request', 'forbidden', 'username_taken', 'email_taken', 'already_registered', 'webauthn_verification_failed'] },
    { method: 'post', path: '/api/enrolment/passkey/options', tag: 'session', summary: 'Creation options for the passkey of an enrolment link, instead of a first password', body: passkeyAccountBodies.enrolmentOptions, session: true, ok: { status: 200, description: 'PublicKeyCredentialCreationOptionsJSON', schema: { type: 'object' } }, errors: ['invalid_request', 'forbidden', 'too_many_attempts'] },
    { method: 'post', path: '/api/enrolment/passkey', tag: 'session', summary: 'Use an enrolment link with a passkey: the account is passkey-only, signed in at aal 2', body: passkeyAccountBodies.enrolment, session: true, ok: { status: 200, description: 'Signed in', schema: obj({ user, credential: { $ref: '#/components/schemas/Credential' }, recoveryCodes: groups }, ['user', 'credential']) }, errors: ['invalid_request', 'forbidden', 'already_registered', 'webauthn_verification_failed'] },
    { method: 'get', path: '/api/signup/invitation', tag: 'session', summary: 'What an unused invitation says (its e-mail address, if bound)', query: s.tokenQuery, session: false, ok: { status: 200, description: 'Invitation', schema: obj({ email: { type: ['string', 'null'] }, expiresAt: { type: 'string', format: 'date-time' } }) }, errors: ['invalid_request', 'forbidden'] },
    { method: 'get', path: '/api/enrolment', tag: 'session', summary: 'Whom an unused enrolment link is for', query: s.tokenQuery, session: false, ok: { status: 200, description: 'The account', schema: obj({ user }) }, errors: ['invalid_request', 'forbidden'] },
    { method: 'post', path: '/api/enrolment', tag: 'session', summary: 'Use an enrolment link: set the first password, signed in at aal 1', body: s.enrolmentBody, session: true, ok: { status: 200, description: 'Signed in; enrol a second factor next', schema: obj({ user }) }, errors: ['invalid_request', 'forbidden'] },
    { method: 'post', path: '/api/admin/users', tag: 'admin', summary: 'Add a user without a password; answers their single-use enrolment link. An e-mail address another account holds is refused (409 email_taken)', body: adminSchemas.addUser, session: true, ok: { status: 201, description: 'Added', schema: obj({ user: { type: 'object' }, url: { type: 'string', format: 'uri' }, expiresAt: { type: 'string', format: 'date-time' } }) }, errors: [...adminErrors, 'username_taken', 'email_taken'] },
    { method: 'post', path: '/api/admin/invitations', tag: 'admin', summary: 'A single-use invitation link, optionally bound to an e-mail address (not one another account holds: 409 email_taken)', body: adminSchemas.invite, session: true, ok: { status: 201, description: 'Invitation', schema: link }, errors: [...adminErrors, 'email_taken'] },
    { method: 'patch', path: '/api/admin/users/{id}/groups', tag: 'admin', summary: 'Add and remove groups of a user', params: { id: adminSchemas.userId }, body: adminSchemas.changeGroups, session: true, ok: { status: 200, description: 'The groups after', schema: obj({ groups }) }, errors: [...adminErrors, 'not_found'] },
  ];
}
