// JSON bodies only (415 otherwise), at most BODY_LIMIT bytes (413), well-formed (400).
import bodyParser from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { KeywardError } from '../errors.js';

export function jsonBody(limitBytes: number): Middleware {
  // DELETE too (the parser skips it by default): a malformed body is a 400 on every method that
  // changes state, not silently ignored.
  const parsedMethods = ['POST', 'PUT', 'PATCH', 'DELETE'];
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: limitBytes, jsonStrict: false, encoding: 'utf-8', parsedMethods });
  return async (ctx, next) => {
    // A body on GET or HEAD means nothing (RFC 9110 9.3.1): no route reads it, so a GET to a
    // POST-only path is still its 405, not a complaint about the body.
    if (parsedMethods.includes(ctx.method) && (ctx.request.length || ctx.get('Transfer-Encoding'))) {
      if (!ctx.is('application/json')) throw new KeywardError('unsupported_media_type');
      if (ctx.request.length > limitBytes) throw new KeywardError('payload_too_large');
      try {
        // Run the parser alone, so errors from later middleware are not mistaken for its own.
        await parse(ctx, async () => {});
      } catch (err) {
        const status = (err as { status?: number }).status;
        if (status === 413) throw new KeywardError('payload_too_large');
        if (status === 415) throw new KeywardError('unsupported_media_type');
        throw new KeywardError('invalid_request', 'The body is not well-formed JSON.');
      }
      // Well-formed is not enough: every body of this API is an object, and `0`, `"x"` or
      // `null` deserve that answer rather than "not well-formed".
      const body: unknown = ctx.request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new KeywardError('invalid_request', 'The body must be a JSON object.');
      }
    } else {
      ctx.request.body = {};
    }
    await next();
  };
}
