// UTS #39 section 5.2, "Highly Restrictive": a username is written in one script (plus
// Common and Inherited characters such as digits and punctuation), or in one of the
// combinations the standard allows for Chinese, Japanese and Korean, each with Latin.
// "pаypal" with a Cyrillic "а" mixes Latin and Cyrillic and is refused.
//
// Each character's Script_Extensions come from the platform's regex Unicode data
// (\p{scx=...}); the list of script names comes from Unicode's PropertyValueAliases as
// packaged for ECMAScript regexes. No table of characters is kept here.
import mappings from 'unicode-match-property-value-ecmascript/data/mappings.js';

/** Common and Inherited belong to every script (UTS #39 section 5.1). */
const ANY_SCRIPT = new Set(['Common', 'Inherited']);

// UTS #39's "augmented" script sets: a Han character also counts as Japanese, Korean and
// Han-with-Bopomofo writing, so these combinations are each one augmented script.
const HIGHLY_RESTRICTIVE_COMBINATIONS: ReadonlyArray<ReadonlySet<string>> = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

const scriptMatchers: Array<[string, RegExp]> = [];
for (const name of new Set(mappings.get('Script_Extensions')?.values() ?? [])) {
  try {
    scriptMatchers.push([name, new RegExp(`^\\p{scx=${name}}$`, 'u')]);
  } catch {
    // A script newer than this Node's Unicode version: no character of it can be assigned here.
  }
}

/** The Script_Extensions of one character; null for Common/Inherited (compatible with all). */
function scriptsOf(char: string): Set<string> | null {
  const found = new Set<string>();
  for (const [name, re] of scriptMatchers) if (re.test(char)) found.add(name);
  if ([...found].every((s) => ANY_SCRIPT.has(s))) return null;
  for (const s of ANY_SCRIPT) found.delete(s);
  return found;
}

/** true when the string meets UTS #39's Highly Restrictive level. */
export function isHighlyRestrictive(text: string): boolean {
  const sets = [...text].map(scriptsOf).filter((s): s is Set<string> => s !== null);
  if (sets.length === 0) return true;
  // Single script: one script shared by every character's Script_Extensions.
  const shared = [...sets[0]!].filter((name) => sets.every((s) => s.has(name)));
  if (shared.length > 0) return true;
  return HIGHLY_RESTRICTIVE_COMBINATIONS.some((combo) => sets.every((s) => [...s].some((name) => combo.has(name))));
}
