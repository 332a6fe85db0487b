import { h } from './dom.js';
import { LANGUAGES, language, setLanguage, t, type Language } from './i18n/i18n.js';

/** A visible language switch; the choice is remembered, and the page is drawn again in it. */
export function languageSwitch(redraw: () => void): HTMLElement {
  const select = h(
    'select',
    { id: 'language', 'aria-label': t('app.language') },
    ...Object.entries(LANGUAGES).map(([code, name]) => h('option', { value: code, lang: code, selected: code === language() }, name)),
  );
  select.addEventListener('change', () => {
    setLanguage(select.value as Language);
    redraw();
  });
  return h('span', { class: 'language' }, select);
}
