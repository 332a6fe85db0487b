import helmet from 'koa-helmet';
import type { Middleware } from 'koa';

/** CSP without inline script, no framing, nosniff, no referrer; HSTS only behind TLS. The logo's origin may serve images. */
export function securityHeaders(opts: { secure: boolean; logoUrl?: string | null }): Middleware {
  const logoOrigin = opts.logoUrl ? new URL(opts.logoUrl).origin : null;
  return helmet({
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
  }) as Middleware;
}
