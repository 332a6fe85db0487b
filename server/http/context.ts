// Koa's context, as Keyward's middleware leaves it.
import type { Logger } from 'pino';
import type { RequestSession } from './sessionMiddleware.js';

declare module 'koa' {
  interface DefaultState {
    requestId: string;
    log: Logger;
    /** The session's current end (set by the session middleware). */
    sessionExpiresAt?: number | undefined;
  }
  interface DefaultContext {
    /** Set by Keyward's session middleware (server/http/sessionMiddleware.ts). */
    session?: RequestSession;
  }
}

export {};
