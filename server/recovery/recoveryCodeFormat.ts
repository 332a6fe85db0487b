// Recovery codes people can read aloud and type: 10 characters of Crockford's base32
// (no I, L, O or U), 50 bits, shown as `xxxxx-xxxxx`. Typing is forgiving: any case,
// hyphens and spaces ignored, and the look-alikes I/L read as 1 and O as 0.
import type { Random } from '../clock.js';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const LENGTH = 10;
const VALID = /^[0-9a-hjkmnp-tv-z]{10}$/;

export const recoveryCodeFormat = {
  /** A new code in its canonical form (10 characters, no hyphen): what gets hashed. */
  generate(random: Random): string {
    // 32 symbols = 5 bits, so each byte's low 5 bits pick a symbol without bias.
    return Array.from(random.bytes(LENGTH), (b) => ALPHABET[b & 31]).join('');
  },

  /** The canonical form of what a person typed, or null when it cannot be a code. */
  normalize(input: string): string | null {
    const s = input.toLowerCase().replace(/[\s-]/g, '').replace(/[il]/g, '1').replace(/o/g, '0');
    return VALID.test(s) ? s : null;
  },

  display: (canonical: string): string => `${canonical.slice(0, 5)}-${canonical.slice(5)}`,
};
