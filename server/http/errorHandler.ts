// The one error path: every thrown error becomes { error, message } with the closed
// list's status. Unknown faults are logged in full and answered 500 without detail.
// The lean forward-auth handler maps its errors with errorAnswer too.
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { ERROR_STATUS, KeywardError } from '../errors.js';

export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: { error: string; message: string; details?: unknown };
}

/** What an error is answered with, logged as it deserves (`log` undefined: not logged). */
export function errorAnswer(err: unknown, log: Logger | undefined): ErrorAnswer {
  const e =
    err instanceof KeywardError
      ? err
      : // Koa/http-errors from libraries (e.g. a malformed cookie) carry an expose-able status.
        fromHttpError(err) ?? new KeywardError('internal_error', undefined, undefined, undefined, { cause: err });
  if (e.status >= 500 && e.code !== 'unavailable') log?.error({ err }, 'request failed');
  // `error`, not `code`: the logger censors every `code` field (TOTP and recovery codes).
  else log?.info({ error: e.code, detail: e.cause ? String(e.cause) : undefined }, 'request refused');
  return { status: e.status, headers: e.headers ?? {}, body: { error: e.code, message: e.message, ...(e.details && { details: e.details }) } };
}

export function errorHandler(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const answer = errorAnswer(err, ctx.state.log);
      ctx.status = answer.status;
      for (const [k, v] of Object.entries(answer.headers)) ctx.set(k, v);
      ctx.body = answer.body;
    }
  };
}

function fromHttpError(err: unknown): KeywardError | null {
  const status = (err as { status?: unknown; expose?: unknown })?.status;
  if (typeof status !== 'number' || status >= 500) return null;
  const code = (Object.keys(ERROR_STATUS) as (keyof typeof ERROR_STATUS)[]).find((c) => ERROR_STATUS[c] === status);
  return code ? new KeywardError(code, undefined, undefined, undefined, { cause: err }) : null;
}
