// Characters that render as nothing: Unicode's Default_Ignorable_Code_Point (zero-width
// space U+200B, soft hyphen U+00AD, word joiner U+2060, variation selectors such as U+FE0F,
// and the rest) and the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0). The fillers are
// letters (\p{L}) that show nothing outside a Hangul syllable, so "boss" + U+1160 passed
// the username pattern and looked exactly like "boss". They are Default_Ignorable in
// current Unicode too; they are named here as well so the rule holds whatever Unicode
// version the platform's regex data carries.
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u115F\u1160\u3164\uFFA0]/u;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');

export function hasInvisibleCharacters(text: string): boolean {
  return INVISIBLE.test(text);
}

/** The distinct invisible characters in `text`, as "U+200B" (for messages and logs). */
export function invisibleCodePoints(text: string): string[] {
  const found = new Set<string>();
  for (const [char] of text.matchAll(INVISIBLE_ALL)) found.add(`U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  return [...found];
}

export function withoutInvisibleCharacters(text: string): string {
  return text.replace(INVISIBLE_ALL, '');
}
