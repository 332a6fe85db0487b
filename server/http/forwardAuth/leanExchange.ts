// The Exchange of a request answered outside Koa: the same reads and writes a Koa Context
// offers the checks, over node:http's request, with the answer kept for one writeHead().
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse, type ParsedUrlQuery } from 'node:querystring';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { Exchange, ExchangeState } from './exchange.js';

/** What every exchange of one handler shares. */
export interface ExchangeSetting {
  logger: Logger;
  trustProxy: boolean;
  /** The standing Content-Security-Policy (securityHeaders.ts). */
  csp: string | undefined;
  /** Koa's content negotiation, for the rare answer that needs it (the no-access page). */
  koa: Koa;
}

class LeanState implements ExchangeState {
  sessionExpiresAt: number | undefined = undefined;
  private child: Logger | undefined = undefined;

  constructor(
    readonly requestId: string,
    private readonly logger: Logger,
  ) {}

  // Made when something logs: an allowed check logs nothing at the default level.
  get log(): Logger {
    return (this.child ??= this.logger.child({ reqId: this.requestId }));
  }
}

export class LeanExchange implements Exchange {
  status = 200;
  type = '';
  body: unknown = undefined;
  /** Answer headers, name and value in turn (writeHead's flat form keeps repeated names). */
  readonly headers: string[] = [];
  /** A Content-Security-Policy replacing the standing one (the no-access page). */
  csp: string | undefined = undefined;
  readonly state: LeanState;
  private parsedQuery: ParsedUrlQuery | undefined = undefined;
  private address: string | undefined = undefined;

  constructor(
    readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    readonly querystring: string,
    requestId: string,
    private readonly setting: ExchangeSetting,
  ) {
    this.state = new LeanState(requestId, setting.logger);
  }

  get method(): string {
    return this.req.method!;
  }

  get query(): ParsedUrlQuery {
    return (this.parsedQuery ??= parse(this.querystring));
  }

  /** As Koa reads it with `proxy` and `maxIpsCount: 1`: the last X-Forwarded-For entry, else the peer. */
  get ip(): string {
    if (this.address === undefined) {
      const forwarded = this.setting.trustProxy ? this.get('X-Forwarded-For') : '';
      const last = forwarded ? forwarded.slice(forwarded.lastIndexOf(',') + 1).trim() : '';
      this.address = last || this.req.socket.remoteAddress || '';
    }
    return this.address;
  }

  get(field: string): string {
    const name = field.toLowerCase();
    const value = name === 'referer' || name === 'referrer' ? this.req.headers.referrer || this.req.headers.referer : this.req.headers[name];
    return (value as string | undefined) || '';
  }

  accepts(...types: string[]): string | false {
    return this.setting.koa.createContext(this.req, this.res).accepts(...types);
  }

  set(field: string, value: string): void {
    if (field.toLowerCase() === 'content-security-policy') this.csp = value;
    else this.headers.push(field, value);
  }

  append(field: string, value: string): void {
    this.headers.push(field, value);
  }

  /** The answer's headers as set so far (read only by the no-access page, so made on demand). */
  get response(): { get(field: string): unknown } {
    return { get: (field: string) => this.answerHeader(field) };
  }

  private answerHeader(field: string): string | undefined {
    const name = field.toLowerCase();
    if (name === 'content-security-policy') return this.csp ?? this.setting.csp;
    for (let i = this.headers.length - 2; i >= 0; i -= 2) if (this.headers[i]!.toLowerCase() === name) return this.headers[i + 1];
    return undefined;
  }
}
