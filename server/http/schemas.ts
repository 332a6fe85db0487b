// Request bodies. Objects are strict: an unexpected field is a client bug worth a 400.
import { z } from 'zod';
import { usernameProblem } from '../accounts/usernames.js';

export const username = z
  .string()
  .transform((s) => s.normalize('NFKC').trim())
  .pipe(
    z.string().superRefine((name, ctx) => {
      const problem = usernameProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  )
  // The rules read \p{L}\p{N} and \p{Default_Ignorable_Code_Point}, which few non-JavaScript
  // tools understand (Python's re cannot): say them in words rather than as a pattern.
  .meta({
    minLength: 3,
    maxLength: 64,
    description:
      '3 to 64 letters (of one writing system), digits or . _ @ + -; no invisible characters (Default_Ignorable_Code_Point, Hangul fillers); compared without regard to case after NFKC normalization',
    examples: ['alice', 'j.doe@example'],
  });

export function password(min: number, max: number) {
  return z.string().min(min, `must be at least ${min} characters`).max(max, `must be at most ${max} characters`);
}

/**
 * Text that is trimmed before use (a name, an account), validated AS SENT so that its
 * description holds: at most `max` characters counted as JSON Schema counts them (code points,
 * not UTF-16 units), at least one that is not white space (so trimming never leaves it empty),
 * and with `controls: false` no control or format characters. Validating after trimming would
 * refuse " " that minLength 1 allows, and take 300 characters in spaces around 254.
 */
export function trimmedText(max: number, opts: { controls?: boolean } = {}) {
  const pattern = opts.controls === false ? /^[^\p{Cc}\p{Cf}]*[^\p{Cc}\p{Cf}\s][^\p{Cc}\p{Cf}]*$/u : /[^\s]/u;
  return z
    .string()
    .regex(pattern, opts.controls === false ? 'must contain a visible character and no control characters' : 'must not be empty or only white space')
    .refine((text) => [...text].length <= max, `must be at most ${max} characters`)
    .meta({ maxLength: max })
    .trim();
}

export const displayName = trimmedText(64, { controls: false });
// RFC 5321's limits, which z.email() leaves out and other tools (format: email) enforce: at most
// 64 characters before the @, and at most 63 in each name of the domain.
const withinRfc5321 = (address: string) => {
  const at = address.lastIndexOf('@');
  return at <= 64 && address.slice(at + 1).split('.').every((label) => label.length <= 63);
};
export const email = z.email().max(254).refine(withinRfc5321, 'at most 64 characters before the @ and 63 in each part of the domain');
/** An invitation or enrolment link's token (43 base64url characters; some slack for the future). */
export const linkToken = z.string().regex(/^[A-Za-z0-9_-]{20,128}$/, 'not a link token');

export function createAccountBody(pw: { min: number; max: number }) {
  return z.strictObject({
    username,
    password: password(pw.min, pw.max),
    displayName: displayName.optional(),
    email: email.optional(),
    invitation: linkToken.optional(),
  });
}

// Sign-in does not apply the length floor: an old short password must still get the
// same vague answer, not a schema error that tells the policy apart from a wrong guess.
export const signInBody = z.strictObject({
  username: z.string().min(1).max(256),
  password: z.string().min(1).max(1024),
});

/** Without currentPassword: the first password of a passkey-only account. */
export function changePasswordBody(pw: { min: number; max: number }) {
  return z.strictObject({
    currentPassword: z.string().min(1).max(1024).optional().meta({ description: 'Required when the account has a password; absent when a passkey-only account sets one' }),
    newPassword: password(pw.min, pw.max),
  });
}
