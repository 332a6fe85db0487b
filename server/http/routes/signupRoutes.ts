// The public side of who may get in: what the sign-up page should offer, what an invitation
// says, and the enrolment link of an account an administrator added.
import Router from '@koa/router';
import { z } from 'zod';
import { publicUser } from '../../accounts/createAccountService.js';
import type { InvitationService } from '../../access/createInvitationService.js';
import type { SignupService } from '../../access/createSignupService.js';
import type { SessionService } from '../../session/createSessionService.js';
import { linkToken, password } from '../schemas.js';
import { establishSession } from '../sessionMiddleware.js';
import { requestOrigin } from '../sessionAccess.js';
import { validate } from '../validate.js';
import { KeywardError } from '../../errors.js';
import type { PasswordsSetting } from '../../accounts/createPasskeyAccounts.js';
import { PASSWORDS_OFF } from './mySessionsRoutes.js';

export interface SignupRoutesDeps {
  signup: SignupService;
  emailDomains: string[];
  invitations: InvitationService;
  sessions: Pick<SessionService, 'afterSignUp'>;
  password: { min: number; max: number };
  passwords: PasswordsSetting;
}

/** Query and body schemas, as validated here and described in /api/openapi.json. */
export function signupSchemas(pw: { min: number; max: number }) {
  return {
    tokenQuery: z.object({ token: linkToken }),
    enrolmentBody: z.strictObject({ token: linkToken, password: password(pw.min, pw.max) }),
  };
}

export function signupRoutes(deps: SignupRoutesDeps): Router {
  const router = new Router();
  const schemas = signupSchemas(deps.password);

  router.get('/signup', (ctx) => {
    ctx.body = { mode: deps.signup.mode, emailDomains: deps.emailDomains, passwords: deps.passwords };
  });

  router.get('/signup/invitation', async (ctx) => {
    const { token } = validate(schemas.tokenQuery, ctx.query);
    const inv = await deps.invitations.findInvitation(token);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { email: inv.email, expiresAt: new Date(inv.expiresAt).toISOString() };
  });

  router.get('/enrolment', async (ctx) => {
    const { token } = validate(schemas.tokenQuery, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { user: publicUser(await deps.invitations.enrolmentFor(token)) };
  });

  // Sets the first password and signs the person in at aal 1: the next step is their second factor.
  router.post('/enrolment', async (ctx) => {
    const body = validate(schemas.enrolmentBody, ctx.request.body);
    if (deps.passwords === 'off') throw new KeywardError('forbidden', `${PASSWORDS_OFF} Enrol with a passkey.`);
    const user = await deps.invitations.completeEnrolment(body.token, body.password, requestOrigin(ctx));
    await establishSession(ctx, deps.sessions.afterSignUp(user.id));
    ctx.body = { user: publicUser(user) };
  });

  return router;
}
