import type { Factor } from './api.js';
import { t } from './i18n/i18n.js';

/** "Security key, authenticator app": a factor list in words, never the protocol names. */
export function factorList(factors: Factor[]): string {
  const names = factors.map((f) => t(`factorName.${f}`));
  return new Intl.ListFormat(document.documentElement.lang || 'en', { type: 'conjunction' }).format(names);
}
