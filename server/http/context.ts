// Koa's context, as Keyward's middleware leaves it.
import type { Logger } from 'pino';
import type { SessionData } from '../session/sessionState.js';

declare module 'koa' {
  interface DefaultState {
    requestId: string;
    log: Logger;
    /** The loaded session's stored expiry (set by the session middleware). */
    sessionExpiresAt?: number;
    /** What this request last wrote to the session store (id and data), to skip writing it twice. */
    sessionWritten?: { key: string; json: string };
  }
  interface DefaultContext {
    // Added by koa-session; its own types do not augment Koa's context.
    session: (SessionData & { regenerate(): Promise<void> | undefined; toJSON(): SessionData; isNew?: boolean }) | null;
  }
}

export {};
