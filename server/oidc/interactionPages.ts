// The consent page and the "this sign-in request is over" page, served by Keyward itself.
import type { Context } from 'koa';
import { pageLanguage } from '../http/pages/pageLanguage.js';
import { escapeHtml, fillPage, pageText, type PageMessageKey } from '../http/pages/pageMessages.js';
import { serverPage, type PageLook } from '../http/pages/serverPage.js';

export interface Consent {
  uid: string;
  prefix: string;
  clientName: string;
  /** Who is signed in: the person sees which account the client would get. */
  username: string;
  /** The scopes the client asks for: its scope parameter and those of claims it asks by name (scopesAsked.ts). */
  requested: string;
  /** The scopes Keyward gives out (the provider's): any other one asked for is listed as not given. */
  supported: readonly string[];
  look: PageLook;
}

const isScopeKey = (key: string): key is PageMessageKey => key === 'scope.openid' || key === 'scope.profile' || key === 'scope.email' || key === 'scope.groups' || key === 'scope.offline_access';

export function consentPage(ctx: Context, p: Consent): string {
  const lang = pageLanguage(ctx);
  const brand = p.look.brand.name;
  const requested = [...new Set(p.requested.split(' ').filter(Boolean))];
  const describe = (scope: string) => {
    const key = `scope.${scope}`;
    return `<li>${isScopeKey(key) ? fillPage(lang, key, { brand }) : fillPage(lang, 'scope.unknown', { scope })}</li>`;
  };
  const given = requested.filter((s) => p.supported.includes(s));
  const notGiven = requested.filter((s) => !p.supported.includes(s));
  const action = `${p.prefix}/interaction/${encodeURIComponent(p.uid)}/consent`;
  const home = `${p.look.home}/`;
  return serverPage({
    lang,
    title: pageText(lang, 'consent.title', { client: p.clientName }),
    body:
      `<p>${fillPage(lang, 'consent.signedInAs', { username: p.username })} <a href="${escapeHtml(home)}">${fillPage(lang, 'consent.notYou')}</a></p>` +
      `<p>${fillPage(lang, 'consent.asks', { client: p.clientName, brand })}</p><ul class="scopes">${given.map(describe).join('')}</ul>` +
      (notGiven.length ? `<p>${fillPage(lang, 'consent.unsupported', { brand })}</p><ul class="scopes-not-given">${notGiven.map(describe).join('')}</ul>` : '') +
      `<form method="post" action="${escapeHtml(action)}" class="actions"><button type="submit" name="decision" value="allow" autofocus>${fillPage(lang, 'consent.allow')}</button>` +
      `<button type="submit" name="decision" value="deny" class="secondary">${fillPage(lang, 'consent.deny')}</button></form>`,
    look: p.look,
    switchLanguage: true,
  });
}

export function expiredPage(ctx: Context, look: PageLook): string {
  const lang = pageLanguage(ctx);
  return serverPage({ lang, title: pageText(lang, 'expired.title'), body: `<p>${fillPage(lang, 'expired.body')}</p>`, look });
}
