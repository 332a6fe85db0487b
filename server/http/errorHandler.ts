// The one error path: every thrown error becomes { error, message } with the closed
// list's status. Unknown faults are logged in full and answered 500 without detail.
import type { Middleware } from 'koa';
import { ERROR_STATUS, KeywardError } from '../errors.js';

export function errorHandler(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const e =
        err instanceof KeywardError
          ? err
          : // Koa/http-errors from libraries (e.g. a malformed cookie) carry an expose-able status.
            fromHttpError(err) ?? new KeywardError('internal_error', undefined, undefined, undefined, { cause: err });
      const log = ctx.state.log;
      if (e.status >= 500 && e.code !== 'unavailable') log?.error({ err }, 'request failed');
      // `error`, not `code`: the logger censors every `code` field (TOTP and recovery codes).
      else log?.info({ error: e.code, detail: e.cause ? String(e.cause) : undefined }, 'request refused');
      ctx.status = e.status;
      for (const [k, v] of Object.entries(e.headers ?? {})) ctx.set(k, v);
      ctx.body = { error: e.code, message: e.message, ...(e.details && { details: e.details }) };
    }
  };
}

function fromHttpError(err: unknown): KeywardError | null {
  const status = (err as { status?: unknown; expose?: unknown })?.status;
  if (typeof status !== 'number' || status >= 500) return null;
  const code = (Object.keys(ERROR_STATUS) as (keyof typeof ERROR_STATUS)[]).find((c) => ERROR_STATUS[c] === status);
  return code ? new KeywardError(code, undefined, undefined, undefined, { cause: err }) : null;
}
