// The frame of every page Keyward renders on the server: the client's look (its stylesheet,
// so light and dark follow prefers-color-scheme as in the client), its header (the operator's
// name and logo, a language switch that needs no script) and landmarks (banner, main), in the
// person's language. No inline style or script: the CSP (securityHeaders.ts) allows neither.
import { escapeHtml, pageText, type PageMessageKey } from './pageMessages.js';
import { PAGE_LANGUAGES, type PageLanguage } from './pageLanguage.js';

export interface PageLook {
  /** The built client's stylesheet path (clientStylesheet.ts), or null for plain HTML. */
  stylesheet: string | null;
  /** Keyward's own address (its first origin): the brand links there, and a page shown on another host takes its stylesheet from there. */
  home: string;
  brand: { name: string; logoUrl: string | null };
}

export interface ServerPage {
  lang: PageLanguage;
  /** Plain text; escaped here. */
  title: string;
  /** HTML, its values already escaped. */
  body: string;
  look: PageLook;
  /** Shown on another host than Keyward's (the no-access page behind a proxy): links and the stylesheet name Keyward's address. */
  elsewhere?: boolean;
  /** Links to this page in each language (`?lang=`): omitted where the address is not Keyward's to answer. */
  switchLanguage?: boolean;
  /** Trusted markup for the head (a refresh to where the page goes on by itself). */
  head?: string;
}

function languageLinks(lang: PageLanguage): string {
  const links = Object.entries(PAGE_LANGUAGES).map(([code, name]) =>
    code === lang
      ? `<a href="?lang=${code}" hreflang="${code}" lang="${code}" aria-current="true">${escapeHtml(name)}</a>`
      : `<a href="?lang=${code}" hreflang="${code}" lang="${code}">${escapeHtml(name)}</a>`,
  );
  return `<nav class="language" aria-label="${escapeHtml(pageText(lang, 'language' satisfies PageMessageKey))}">${links.join('')}</nav>`;
}

export function serverPage(p: ServerPage): string {
  const base = p.elsewhere ? p.look.home : '';
  const css = p.look.stylesheet ? `<link rel="stylesheet" href="${escapeHtml(base + p.look.stylesheet)}">` : '';
  const { name, logoUrl } = p.look.brand;
  const logo = logoUrl ? `<img src="${escapeHtml(logoUrl)}" alt="" class="logo" height="28">` : '';
  return (
    `<!DOCTYPE html><html lang="${p.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="color-scheme" content="light dark"><title>${escapeHtml(p.title)} · ${escapeHtml(name)}</title>${css}${p.head ?? ''}</head>` +
    `<body class="server-page"><header class="top"><a class="brand" href="${escapeHtml(`${p.look.home}/`)}">${logo}<span>${escapeHtml(name)}</span></a>` +
    `${p.switchLanguage ? languageLinks(p.lang) : ''}</header>` +
    `<main><h1>${escapeHtml(p.title)}</h1>${p.body}</main></body></html>`
  );
}
