// The page languages the browser tests run in, each with its catalogue: the expected words
// come from the catalogue, so a test proves the page speaks that language.
import { en } from '../../client/src/i18n/en.js';
import { de } from '../../client/src/i18n/de.js';

export const LANGUAGES = [
  { locale: 'en-GB', m: en },
  { locale: 'de-DE', m: de },
] as const;
