// Forward-auth is every page view of every protected app. GET/HEAD /api/authz and
// /api/whoami are answered here on node:http, in front of Koa (KeywardApp.callback()), with
// the same checks the Koa route runs (forwardAuthChecks.ts) and the same pieces the Koa stack
// uses around them: request id and access log (requestContext.ts), metrics (httpMetrics.ts),
// the error answers (errorHandler.ts), the security headers, the repeated X-Forwarded-*
// refusal, the in-flight limit, and the session layer (sessionMiddleware.ts). The session is
// read from the database on every check (never cached), so a session ended anywhere is
// refused at the next one. Skipped as in Koa for these paths: the Origin check and the body
// (safe methods), and the router walk. Everything else goes to Koa.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { Clock, Random } from '../../clock.js';
import type { SessionData, SessionView } from '../../session/sessionState.js';
import type { HttpRecorder } from '../../metrics/httpMetrics.js';
import { utf8AsLatin1 } from '../../protect/utf8AsLatin1.js';
import { errorAnswer } from '../errorHandler.js';
import type { InFlightGate } from '../inFlightLimit.js';
import { accessLogLevel, requestIdFor } from '../requestContext.js';
import { refuseRepeatedForwardedValues } from '../singleForwardedValues.js';
import { cookieValues } from '../sessionCookie.js';
import { loadSession, sessionCookieValue, settleUnchanged, type LoadedSession, type SessionLayer } from '../sessionMiddleware.js';
import type { SessionRecord, SessionUserNames } from '../../storage/port.js';
import { JSON_TYPE } from './exchange.js';
import type { ForwardAuthChecks, ForwardAuthCheck } from './forwardAuthChecks.js';
import { LeanExchange, type ExchangeSetting } from './leanExchange.js';

export interface LeanForwardAuthDeps {
  checks: ForwardAuthChecks;
  session: SessionLayer;
  viewOf(data: SessionData | undefined): SessionView;
  gate: InFlightGate;
  record: HttpRecorder;
  /** securityHeaderList(): on every answer. */
  securityHeaders: [string, string][];
  logger: Logger;
  clock: Clock;
  random: Random;
  trustProxy: boolean;
  koa: Koa;
}

/** Answers the request and returns its promise, or returns undefined: not a forward-auth check, Koa's to answer. */
export type LeanHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | undefined;

type WithUser = SessionRecord & { user?: SessionUserNames | null };


export function leanForwardAuth(deps: LeanForwardAuthDeps): LeanHandler {
  const { session: layer, gate, logger } = deps;
  const checks = new Map<string, ForwardAuthCheck>([
    ['/api/authz', deps.checks.authz],
    ['/api/whoami', deps.checks.whoami],
  ]);
  const csp = deps.securityHeaders.find(([name]) => name.toLowerCase() === 'content-security-policy')?.[1];
  // The security headers as one flat block, made once; the page that needs another CSP gets a copy.
  const standing = deps.securityHeaders.flat();
  const otherCsp = (value: string) => deps.securityHeaders.flatMap(([name, v]) => [name, name.toLowerCase() === 'content-security-policy' ? value : v]);
  const setting: ExchangeSetting = { logger, trustProxy: deps.trustProxy, csp, koa: deps.koa };
  const read = layer.store.getWithUser.bind(layer.store);

  async function serve(req: IncomingMessage, res: ServerResponse, path: string, check: ForwardAuthCheck, querystring: string): Promise<void> {
    const started = performance.now();
    const requestId = requestIdFor(req.headers['x-request-id'] as string | undefined, deps.trustProxy, deps.random);
    const ex = new LeanExchange(req, res, querystring, requestId, setting);
    // As in Koa's order (app.ts): a repeated forwarded value is refused before the security headers are set.
    let secured = false;
    try {
      if (deps.trustProxy) refuseRepeatedForwardedValues(req.headers);
      secured = true;
      if (!gate.tryEnter()) throw gate.refusal(ex.state.log);
      try {
        const values = cookieValues(req.headers.cookie, layer.cookie.name);
        const loaded = values.length ? ((await loadSession(layer, values, deps.clock.now(), read)) as (LoadedSession & { record: WithUser }) | null) : null;
        if (loaded) ex.state.sessionExpiresAt = loaded.record.expiresAt;
        await check(ex, deps.viewOf(loaded?.record.data), loaded?.record.user);
        const cookie = await settleUnchanged(layer, loaded, values.length > 0, deps.clock.now(), ex.ip || null);
        if (cookie) ex.append('Set-Cookie', sessionCookieValue(layer, cookie === 'renew' ? loaded : null));
      } finally {
        gate.leave();
      }
    } catch (err) {
      answerError(ex, err);
    }
    try {
      send(ex, res, requestId, secured);
    } catch (err) {
      // A header Node refuses to write (Koa's ctx.set would have thrown into the error
      // handler): the answer becomes that error's, without the headers set so far.
      ex.headers.length = 0;
      ex.csp = undefined;
      answerError(ex, err);
      send(ex, res, requestId, secured);
    }
    const status = ex.status;
    deps.record(ex.method, path, status, (performance.now() - started) / 1000);
    const level = accessLogLevel(path, status);
    if (logger.isLevelEnabled(level)) ex.state.log[level]({ method: ex.method, path, status, ms: Math.round(performance.now() - started), ip: ex.ip }, 'request');
  }

  function answerError(ex: LeanExchange, err: unknown): void {
    const answer = errorAnswer(err, ex.state.log);
    ex.status = answer.status;
    for (const name in answer.headers) ex.set(name, answer.headers[name]!);
    ex.type = '';
    ex.body = answer.body;
  }

  function send(ex: LeanExchange, res: ServerResponse, requestId: string, secured: boolean): void {
    // The body as a Latin-1 string of its UTF-8 bytes: Node then writes head and body in one
    // write, both as Latin-1 (the Remote-* headers carry UTF-8 bytes the same way).
    let text: string;
    let type = ex.type;
    if (Buffer.isBuffer(ex.body)) text = ex.body.toString('latin1');
    else if (typeof ex.body === 'string') text = utf8AsLatin1(ex.body);
    else {
      text = utf8AsLatin1(JSON.stringify(ex.body));
      type = JSON_TYPE;
    }
    const headers = !secured ? [] : ex.csp === undefined ? standing.slice() : otherCsp(ex.csp);
    headers.push('X-Request-Id', requestId, ...ex.headers, 'Content-Type', type, 'Content-Length', String(text.length));
    res.writeHead(ex.status, headers);
    if (ex.method === 'HEAD') res.end();
    else res.end(text, 'latin1');
  }

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const check = checks.get(path);
    if (!check) return undefined;
    return serve(req, res, path, check, q < 0 ? '' : url.slice(q + 1));
  };
}
