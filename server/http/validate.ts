import type { z } from 'zod';
import { KeywardError } from '../errors.js';

/** Parses with a schema; a failure is 400 invalid_request naming each bad field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = fields[0];
  throw new KeywardError(
    'invalid_request',
    first ? `${first.path || 'body'}: ${first.message}` : undefined,
    { fields },
  );
}
