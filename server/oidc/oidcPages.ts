// The few pages the provider itself shows (errors it must not redirect, the sign-out
// confirmation, signed out). Server-rendered HTML without script, in Keyward's look and the
// person's language (server/http/pages); every value from a request is escaped.
import type { KoaContextWithOIDC } from 'oidc-provider';
import { pageLanguage } from '../http/pages/pageLanguage.js';
import { escapeHtml, fillPage, pageText } from '../http/pages/pageMessages.js';
import { serverPage, type PageLook } from '../http/pages/serverPage.js';

/** The provider's page hooks, in Keyward's look. */
export function providerPages(look: PageLook) {
  const brand = look.brand.name;
  return {
    /** Errors the provider cannot send back to the client (unknown client, wrong redirect_uri, ...). */
    renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): void {
      const lang = pageLanguage(ctx);
      ctx.type = 'html';
      ctx.body = serverPage({
        lang,
        title: pageText(lang, 'refused.title'),
        body: `<p>${fillPage(lang, 'refused.body', { brand })}</p><p class="error"><code>${escapeHtml(out.error)}</code>${out.error_description ? `: ${escapeHtml(out.error_description)}` : ''}</p>`,
        look,
      });
    },

    /** RP-initiated logout: `form` is the provider's own form (with its xsrf token). */
    logoutSource(ctx: KoaContextWithOIDC, form: string): void {
      const lang = pageLanguage(ctx);
      const client = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId;
      ctx.type = 'html';
      ctx.body = serverPage({
        lang,
        title: pageText(lang, 'logout.title'),
        body:
          `${form}<p>${client ? fillPage(lang, 'logout.asks', { client }) : fillPage(lang, 'logout.question')} ${fillPage(lang, 'logout.what', { brand })}</p>` +
          `<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>${fillPage(lang, 'logout.button')}</button>`,
        look,
      });
    },

    postLogoutSuccessSource(ctx: KoaContextWithOIDC): void {
      const lang = pageLanguage(ctx);
      ctx.type = 'html';
      ctx.body = serverPage({ lang, title: pageText(lang, 'signedOut.title'), body: `<p>${fillPage(lang, 'signedOut.body', { brand })}</p>`, look });
    },
  };
}
