// What the forward-auth checks read of a request and write of its answer. Koa's Context has
// exactly this shape, so the Koa route passes its ctx; the lean handler in front of Koa
// (leanForwardAuth.ts) passes a LeanExchange. One set of checks, two entry points.
import type { ParsedUrlQuery } from 'node:querystring';
import type { Logger } from 'pino';

export interface ExchangeState {
  requestId?: string;
  /** The request's logger (made when first read). */
  log: Logger;
  /** The session's end, when a session was read (whoami reports it). */
  sessionExpiresAt?: number | undefined;
}

export interface Exchange {
  readonly method: string;
  /** The raw query string, without `?`. */
  readonly querystring: string;
  /** The query as node:querystring parses it (read only when a query string is new). */
  readonly query: ParsedUrlQuery;
  /** The client's address (with TRUST_PROXY the last X-Forwarded-For entry). */
  readonly ip: string;
  readonly state: ExchangeState;
  /** A request header, '' when absent. */
  get(field: string): string;
  /** Content negotiation on Accept: the first of `types` the client takes, or false. */
  accepts(...types: string[]): string | false;
  status: number;
  /** The full Content-Type (with its charset). */
  type: string;
  body: unknown;
  /** Sets an answer header (Content-Security-Policy replaces the standing one). */
  set(field: string, value: string): void;
  /** Adds an answer header next to any of the same name (Set-Cookie). */
  append(field: string, value: string): void;
  readonly response: { get(field: string): unknown };
}

export const JSON_TYPE = 'application/json; charset=utf-8';
