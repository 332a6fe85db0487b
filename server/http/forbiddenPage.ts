// The answer to a signed-in person whom the access rules keep out of an app: a page for a
// browser, JSON for anything else. The page is shown on the app's own host (the proxy passes
// Keyward's answer on), so its stylesheet and links name Keyward's address, and the CSP of
// this one answer lets that address style it and be linked to.
import type { Exchange } from './forwardAuth/exchange.js';
import { pageLanguage } from './pages/pageLanguage.js';
import { escapeHtml, fillPage, pageText } from './pages/pageMessages.js';
import { serverPage, type PageLook } from './pages/serverPage.js';

export interface Forbidden {
  /** The host the person asked for, as the proxy named it (with its port). */
  host: string;
  username: string | null;
}

export function answerForbidden(ctx: Exchange, look: PageLook, f: Forbidden): void {
  const host = f.host || new URL(look.home).host;
  ctx.status = 403;
  if (ctx.accepts('json', 'html') !== 'html') {
    ctx.body = { error: 'forbidden', message: `You don't have access to ${host}.` };
    return;
  }
  const lang = pageLanguage(ctx);
  const home = new URL(look.home).origin;
  const csp = ctx.response.get('Content-Security-Policy');
  if (typeof csp === 'string' && csp) ctx.set('Content-Security-Policy', csp.replace(/style-src [^;]*/, (d) => `${d} ${home}`));
  const said = f.username ? fillPage(lang, 'forbidden.signedInAs', { username: f.username, host }) : fillPage(lang, 'forbidden.notAllowed', { host });
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = serverPage({
    lang,
    title: pageText(lang, 'forbidden.title', { host }),
    body:
      `<p>${said}</p><p>${fillPage(lang, 'forbidden.ask')}</p>` +
      `<p class="actions"><a href="${escapeHtml(`${home}/`)}">${fillPage(lang, 'forbidden.switch')}</a></p>`,
    look,
    elsewhere: true,
  });
}
