// JSON Schema patterns are ECMA-262 regexes, but many tools that read the description
// (Python, Go, Java validators and generators) cannot read Unicode property escapes such as
// \p{Cc}. A character class of literal code-point ranges means the same to all of them;
// it is derived from the route's own regex, so the two cannot drift apart.

/** The code points a single-character class matches, as literal ranges for `[…]`. */
function literalRanges(charClass: RegExp): string {
  let out = '';
  let start = -1;
  const flush = (end: number) => {
    if (start < 0) return;
    out += end === start ? String.fromCodePoint(start) : `${String.fromCodePoint(start)}-${String.fromCodePoint(end)}`;
    start = -1;
  };
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    // Lone surrogates are not characters any JSON text can carry.
    const matches = (cp < 0xd800 || cp > 0xdfff) && charClass.test(String.fromCodePoint(cp));
    if (matches && start < 0) start = cp;
    if (!matches) flush(cp - 1);
  }
  flush(0x10ffff);
  return out;
}

const cache = new Map<string, string>();
// A negated class of property escapes and \s: `[^\p{Cc}\p{Cf}]`, `[^\p{Cc}\p{Cf}\s]`, `[^\s]`.
const NEGATED_ESCAPES = /\[\^((?:\\p\{\w+\}|\\s)+)\]/g;

/**
 * Each negated class of \p{…} and \s escapes becomes the same characters, literally (\s as
 * JavaScript reads it, which other regex engines do not agree on); other patterns pass unchanged.
 */
export function portablePattern(pattern: string): string {
  return pattern.replace(NEGATED_ESCAPES, (whole, escapes: string) => {
    let portable = cache.get(whole);
    if (portable === undefined) {
      portable = `[^${literalRanges(new RegExp(`^[${escapes}]$`, 'u'))}]`;
      cache.set(whole, portable);
    }
    return portable;
  });
}
