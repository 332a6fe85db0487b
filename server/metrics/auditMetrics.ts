// Sign-in outcomes per factor and lockouts, read off the audit trail: every use case already
// records them there, so metrics cannot drift from what the audit log says happened.
import type { AuditListener } from '../audit/createAuditLog.js';
import type { Metrics } from './createMetrics.js';

// signin.password, signin.webauthn, signin.passkey, signin.totp, signin.recovery_code
const SIGN_IN = /^signin\.([a-z_]+)$/;
// oidc.authorization, oidc.token, oidc.refresh, oidc.revocation, oidc.grant_revoked
const OIDC = /^oidc\.([a-z_]+)$/;

export function auditMetrics(metrics: Metrics): AuditListener {
  return async (event) => {
    const m = SIGN_IN.exec(event.type);
    if (m) metrics.signIns.inc({ factor: m[1]!, outcome: event.outcome });
    else if (event.type === 'lockout') metrics.lockouts.inc();
    else if (OIDC.test(event.type)) metrics.oidcEvents.inc({ event: OIDC.exec(event.type)![1]!, outcome: event.outcome });
  };
}
