import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware } from 'koa';

export interface SecurityHeaderOptions {
  secure: boolean;
  logoUrl?: string | null;
}

/** CSP without inline script, no framing, nosniff, no referrer; HSTS only behind TLS. The logo's origin may serve images. */
export function securityHeaders(opts: SecurityHeaderOptions): Middleware {
  const headers = securityHeaderList(opts);
  return (ctx, next) => {
    for (const [name, value] of headers) ctx.res.setHeader(name, value);
    return next();
  };
}

/** The same headers on every answer, as name/value pairs (the lean forward-auth handler writes them too). */
export function securityHeaderList(opts: SecurityHeaderOptions): [string, string][] {
  const logoOrigin = opts.logoUrl ? new URL(opts.logoUrl).origin : null;
  return helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // data: for images only: the authenticator-app QR code and the FIDO metadata's key model
        // icons; the operator's logo origin when BRAND_LOGO_URL names one.
        imgSrc: ["'self'", 'data:', ...(logoOrigin ? [logoOrigin] : [])],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(opts.secure && { upgradeInsecureRequests: [] }),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: opts.secure ? { maxAge: 31536000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
  });
}

/**
 * The headers helmet sets, taken once: with these options (no per-request CSP nonce) they are
 * the same on every response, and running helmet per request cost a promise and a dozen
 * header computations on every forward-auth check.
 */
function helmetHeaders(options: Parameters<typeof helmet>[0]): [string, string][] {
  const headers: [string, string][] = [];
  const res = {
    setHeader: (name: string, value: string) => headers.push([name, value]),
    removeHeader: () => undefined,
  } as unknown as ServerResponse;
  let synchronous = false;
  helmet(options)({} as IncomingMessage, res, (err?: unknown) => {
    if (err) throw err;
    synchronous = true;
  });
  if (!synchronous) throw new Error('helmet answered asynchronously: its headers cannot be taken once');
  return headers;
}
