import { h } from './dom.js';
import { languageSwitch } from './languageSwitch.js';
import { render } from './router.js';
import { language, t } from './i18n/i18n.js';
import { currentBrand } from './brand.js';

/** The top bar every page shares: the operator's name, and the language switch. */
export function drawHeader(): void {
  document.documentElement.lang = language();
  const top = document.querySelector('header.top');
  const brand = currentBrand();
  top?.replaceChildren(
    h('a', { href: '/', class: 'brand', 'data-link': true }, brand.logoUrl ? h('img', { src: brand.logoUrl, alt: '', class: 'logo', height: '28' }) : null, h('span', {}, brand.name)),
    languageSwitch(() => {
      drawHeader();
      void render();
    }),
  );
  const noscript = document.querySelector('noscript');
  if (noscript) noscript.textContent = t('app.noscript');
}
