// The operator's name and logo: one public answer the pages read, and a CSP that lets the
// logo (and nothing else from its host) load.
import { describe, expect, it } from 'vitest';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';

describe('branding, configured', () => {
  const t = useApp(embeddedFactory, { BRAND_NAME: 'Example Login', BRAND_LOGO_URL: 'https://cdn.example.com/brand/logo.svg' });

  it('answers the configured name and logo to anyone, and lets only the logo’s origin serve images', async () => {
    const res = await t.app.client().get('/api/branding');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: 'Example Login', logoUrl: 'https://cdn.example.com/brand/logo.svg', passwordHelpUrl: null });
    const csp = String(res.headers.get('content-security-policy'));
    expect(csp).toContain("img-src 'self' data: https://cdn.example.com;");
    expect(csp).toContain("script-src 'self';");
  });
});

describe('branding, not configured', () => {
  const t = useApp(embeddedFactory, { RP_NAME: 'Acme' });

  it('falls back to RP_NAME and no logo, and keeps images to the site itself', async () => {
    const res = await t.app.client().get('/api/branding');
    expect(res.body).toEqual({ name: 'Acme', logoUrl: null, passwordHelpUrl: null });
    expect(String(res.headers.get('content-security-policy'))).toContain("img-src 'self' data:;");
  });
});
