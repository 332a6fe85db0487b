// A trusted proxy names the host and the scheme it was asked for once. Two values (a list in
// one header, or the header sent twice) mean a client's own header was passed on next to the
// proxy's, or two hops wrote it: Koa's `app.proxy` reads the first value while X-Forwarded-For
// is read from the end (maxIpsCount 1), so one request would get two readings of one chain,
// and the first is the one a client chose. Refused, rather than guessing which one is true.
import type { IncomingHttpHeaders } from 'node:http';
import type { Middleware } from 'koa';
import { KeywardError } from '../errors.js';

const HEADERS = [
  ['x-forwarded-host', 'X-Forwarded-Host'],
  ['x-forwarded-proto', 'X-Forwarded-Proto'],
] as const;

// Liveness and readiness read neither header, and a probe must not fail for a proxy's setting.
const PROBES = new Set(['/healthz', '/readyz']);

/**
 * With TRUST_PROXY, every request. Without it nothing reads these headers (Koa ignores them,
 * forward-auth builds no return address from them, and ACCESS_RULES_FILE needs TRUST_PROXY),
 * so a client's own copies pass unread, as before.
 */
export function singleForwardedValues(opts: { trustProxy: boolean }): Middleware {
  return (ctx, next) => {
    if (!opts.trustProxy || PROBES.has(ctx.path)) return next();
    refuseRepeatedForwardedValues(ctx.req.headers);
    return next();
  };
}

/** Throws `invalid_request` when X-Forwarded-Host or -Proto holds more than one value (TRUST_PROXY only). */
export function refuseRepeatedForwardedValues(headers: IncomingHttpHeaders): void {
  for (const [name, label] of HEADERS) {
    // Node joins a repeated header of these names with ", ": one string holds every value.
    const given = headers[name];
    if (typeof given !== 'string' || !given.includes(',')) continue;
    const values = given.split(',');
    if (values.length > 1) {
      throw new KeywardError(
        'invalid_request',
        `${label} has ${values.length} values: the trusted proxy must send exactly one (set the header, do not append to it). See TRUST_PROXY in docs/configuration.md.`,
      );
    }
  }
}
