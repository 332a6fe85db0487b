// The provider's events in Keyward's audit trail (and so in its metrics: auditMetrics counts
// oidc.* events): authorizations, tokens issued from a code, refreshes, revocations, and the
// failures among them (a reused code or refresh token among them), and RP-initiated logouts.
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { AuditEventKind } from '../audit/auditEventKinds.js';
import type { RequestScope } from './requestScope.js';

// A device sign-in's tokens are a person's tokens like a code's; client_credentials has no person.
const TOKEN_EVENT: Record<string, AuditEventKind> = { authorization_code: 'oidc.token', refresh_token: 'oidc.refresh', client_credentials: 'oidc.client_credentials' };

export function auditOidcEvents(provider: Provider, audit: AuditLog, scope: RequestScope): void {
  const scopeUser = () => scope.current()?.view.userId ?? null;
  // The request id is Keyward's (X-Request-Id), carried into the provider's request by the scope.
  const who = (ctx: KoaContextWithOIDC, userId: string | null | undefined) => ({
    userId: userId ?? null,
    ip: ctx.ip || null,
    userAgent: ctx.get('User-Agent') || null,
    requestId: scope.current()?.request.requestId ?? null,
  });
  const clientId = (ctx: KoaContextWithOIDC) => ctx.oidc?.client?.clientId ?? null;
  const record = (type: AuditEventKind, outcome: 'success' | 'failure', ctx: KoaContextWithOIDC, userId: string | null | undefined, details: Record<string, unknown>) => {
    // Audit failures are logged by the audit log; an event handler must not throw.
    void audit.record(type, outcome, who(ctx, userId), { clientId: clientId(ctx), ...details }).catch(() => undefined);
  };

  provider.on('authorization.success', (ctx: KoaContextWithOIDC) => {
    record('oidc.authorization', 'success', ctx, ctx.oidc.session?.accountId, { acr: ctx.oidc.session?.acr ?? null });
  });
  provider.on('authorization.error', (ctx: KoaContextWithOIDC, err: { error?: string }) => {
    record('oidc.authorization', 'failure', ctx, ctx.oidc?.session?.accountId, { error: err.error ?? 'server_error' });
  });
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const type = TOKEN_EVENT[String(ctx.oidc.params?.['grant_type'])] ?? 'oidc.token';
    const machine = type === 'oidc.client_credentials';
    record(type, 'success', ctx, ctx.oidc.entities.Account?.accountId, machine ? { scope: ctx.oidc.entities.ClientCredentials?.scope ?? null } : {});
  });
  provider.on('grant.error', (ctx: KoaContextWithOIDC, err: { error?: string; error_description?: string }) => {
    const type = TOKEN_EVENT[String(ctx.oidc?.params?.['grant_type'])] ?? 'oidc.token';
    record(type, 'failure', ctx, null, { error: err.error ?? 'server_error', reason: err.error_description ?? null });
  });
  provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    record('oidc.grant_revoked', 'success', ctx, null, { grantId });
  });
  // RP-initiated logout, confirmed. (A Keyward sign-out that revokes grants is recorded as
  // oidc.logout by: 'keyward', endOidcWithSession.ts.)
  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    record('oidc.logout', 'success', ctx, scopeUser(), { by: 'client' });
  });
  provider.on('revocation.error', (ctx: KoaContextWithOIDC, err: { error?: string }) => {
    record('oidc.revocation', 'failure', ctx, null, { error: err.error ?? 'server_error' });
  });
  // Revocation has no success event: read it off the finished request.
  provider.use(async (ctx, next) => {
    await next();
    const oidcCtx = ctx as unknown as KoaContextWithOIDC;
    if (oidcCtx.oidc?.route === 'revocation' && ctx.status === 200) record('oidc.revocation', 'success', oidcCtx, null, {});
  });
}
