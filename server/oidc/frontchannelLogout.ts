// OpenID Connect Front-Channel Logout 1.0 on RP-initiated logout: once the person confirmed,
// the page they see loads, in invisible iframes, the frontchannel_logout_uri of every client
// they signed in to in this browser's session (with iss and sid when the client asks for
// them), then goes on by itself to where the provider would have sent them (the client's
// post_logout_redirect_uri, or the signed-out page). oidc-provider 9 has no front-channel
// logout, so its redirect is turned into this page as it is sent: the provider has ended
// its session by then, and the frames only tell the clients.
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { pageLanguage } from '../http/pages/pageLanguage.js';
import { escapeHtml, fillPage, pageText } from '../http/pages/pageMessages.js';
import { serverPage, type PageLook } from '../http/pages/serverPage.js';

/** How long the frames get before the page goes on (a meta refresh: Keyward's pages run no inline script). */
const GO_ON_AFTER_SECONDS = 2;

interface SessionLike {
  authorizations?: Record<string, { sid?: string }>;
}

/** The front-channel logout addresses of the clients in the browser's provider session. */
export async function frontChannelFrames(provider: Provider, ctx: Context): Promise<string[]> {
  const session = (await (provider.Session as unknown as { get(ctx: Context): Promise<SessionLike> }).get(ctx)) ?? {};
  const frames: string[] = [];
  for (const [clientId, { sid }] of Object.entries(session.authorizations ?? {})) {
    const client = (await provider.Client.find(clientId)) as unknown as Record<string, unknown> | undefined;
    const uri = client?.['frontchannel_logout_uri'];
    if (typeof uri !== 'string') continue;
    const url = new URL(uri);
    if (client?.['frontchannel_logout_session_required'] === true && sid) {
      url.searchParams.set('iss', provider.issuer);
      url.searchParams.set('sid', sid);
    }
    frames.push(url.href);
  }
  return frames;
}

/**
 * Holds the provider's answer to a logout confirmation (sent on ctx.res directly) until
 * `beforeSending` has run when it is a redirect (the logout was confirmed): the Keyward
 * session ends before the browser hears it is signed out, so its next request already finds
 * none. With front-channel frames, the redirect becomes the page with the frames, leading to
 * the same place; the Content Security Policy lets those frames, and nothing else, load.
 */
export function holdConfirmedLogout(ctx: Context, opts: { frames: string[]; look: PageLook; beforeSending: () => Promise<void> }): void {
  const res = ctx.res;
  const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
  const lang = pageLanguage(ctx);
  res.end = ((...args: unknown[]) => {
    const location = res.getHeader('location');
    if (res.statusCode < 300 || res.statusCode >= 400 || typeof location !== 'string') return end(...args);
    const send = opts.frames.length ? () => end(framesPage(location)) : () => end(...args);
    opts.beforeSending().then(send, (err: unknown) => {
      ctx.state.log.error({ err }, 'ending the Keyward session after an RP-initiated logout failed');
      res.statusCode = 500;
      res.removeHeader('location');
      end();
    });
    return res;
  }) as typeof res.end;

  function framesPage(location: string): string {
    const origins = [...new Set(opts.frames.map((f) => new URL(f).origin))];
    const csp = res.getHeader('content-security-policy');
    if (typeof csp === 'string') res.setHeader('content-security-policy', `${csp.replace(/;?\s*$/, '')}; frame-src ${origins.join(' ')}`);
    const html = serverPage({
      lang,
      title: pageText(lang, 'signedOut.title'),
      head: `<meta http-equiv="refresh" content="${GO_ON_AFTER_SECONDS};url=${escapeHtml(location)}">`,
      body:
        `<p>${fillPage(lang, 'signedOut.body', { brand: opts.look.brand.name })} ${fillPage(lang, 'signedOut.apps')}</p>` +
        `<p><a href="${escapeHtml(location)}">${fillPage(lang, 'signedOut.continue')}</a></p>` +
        opts.frames.map((f) => `<iframe src="${escapeHtml(f)}" hidden title=""></iframe>`).join(''),
      look: opts.look,
    });
    res.statusCode = 200;
    res.removeHeader('location');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('content-length', Buffer.byteLength(html));
    res.setHeader('cache-control', 'no-store');
    return html;
  }
}
