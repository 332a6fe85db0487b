import { h } from './dom.js';
import { languageSwitch } from './languageSwitch.js';
import { render } from './router.js';
import { language, t } from './i18n/i18n.js';

/** The top bar every page shares: the operator's name, and the language switch. */
export function drawHeader(): void {
  document.documentElement.lang = language();
  const top = document.querySelector('header.top');
  top?.replaceChildren(
    h('a', { href: '/', class: 'brand', 'data-link': true }, 'Keyward'),
    languageSwitch(() => {
      drawHeader();
      void render();
    }),
  );
  const noscript = document.querySelector('noscript');
  if (noscript) noscript.textContent = t('app.noscript');
}
