// Keyward's Koa app, with the lean forward-auth handler in front of it: callback() (what
// node:http serves) offers each request to that handler first, and passes to Koa what it
// does not take. koaCallback() is Koa alone (tests compare the two entry points).
import type { IncomingMessage, ServerResponse } from 'node:http';
import Koa from 'koa';
import type { LeanHandler } from './forwardAuth/leanForwardAuth.js';

type Listener = ReturnType<Koa['callback']>;

export class KeywardApp extends Koa {
  private inFront: LeanHandler | undefined;

  /** The handler that sees every request before Koa (leanForwardAuth.ts). */
  serveInFront(handler: LeanHandler): void {
    this.inFront = handler;
  }

  /** Koa's own listener, without the handler in front. */
  koaCallback(): Listener {
    return super.callback();
  }

  override callback(): Listener {
    const koa = super.callback();
    const inFront = this.inFront;
    if (!inFront) return koa;
    // An HTTP/2 request never reaches here (Keyward serves HTTP/1.1); Koa takes anything else.
    return (req, res) => inFront(req as IncomingMessage, res as ServerResponse) ?? koa(req, res);
  }
}
