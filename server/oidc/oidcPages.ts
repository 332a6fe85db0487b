// The few pages the provider itself shows (errors it must not redirect, the sign-out
// confirmation, signed out). Server-rendered HTML without script, in Keyward's look (its
// header and the client's stylesheet, clientStylesheet.ts); every value from a request is escaped.
import type { KoaContextWithOIDC } from 'oidc-provider';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `stylesheet`: the built client's CSS path, or null for plain HTML. */
export function page(title: string, body: string, stylesheet: string | null): string {
  const css = stylesheet ? `<link rel="stylesheet" href="${escapeHtml(stylesheet)}">` : '';
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Keyward</title>${css}</head>` +
    `<body><header class="top"><span class="brand">Keyward</span></header><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`
  );
}

/** The provider's page hooks, in Keyward's look. */
export function providerPages(stylesheet: string | null) {
  return {
    /** Errors the provider cannot send back to the client (unknown client, wrong redirect_uri, ...). */
    renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): void {
      ctx.type = 'html';
      ctx.body = page(
        'Sign-in request refused',
        `<p>The application sent a sign-in request Keyward cannot accept.</p><p class="error"><code>${escapeHtml(out.error)}</code>${out.error_description ? `: ${escapeHtml(out.error_description)}` : ''}</p>`,
        stylesheet,
      );
    },

    /** RP-initiated logout: `form` is the provider's own form (with its xsrf token). */
    logoutSource(ctx: KoaContextWithOIDC, form: string): void {
      const name = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId;
      ctx.type = 'html';
      ctx.body = page(
        'Sign out',
        `${form}<p>${name ? `${escapeHtml(name)} asks you to sign out.` : 'Sign out?'} This signs you out of Keyward and of the applications you signed in to with it.</p>` +
          '<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>',
        stylesheet,
      );
    },

    postLogoutSuccessSource(ctx: KoaContextWithOIDC): void {
      ctx.type = 'html';
      ctx.body = page('Signed out', '<p>You are signed out of Keyward.</p>', stylesheet);
    },
  };
}
