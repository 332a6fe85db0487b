// What the provider needs to know about the Keyward side of a request it serves: the person's
// Keyward session (the OIDC session IS the Keyward session) and the client's address. The
// provider runs as its own Koa app on the same request, so the mount puts these in an
// AsyncLocalStorage scope that its checks and hooks read.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';
import type { SessionView } from '../session/sessionState.js';
import type { RequestMeta } from '../guard/createAttemptGuard.js';

export interface KeywardRequest {
  view: SessionView;
  /** The Keyward session's public handle (null without one): what the provider's records are tagged with. */
  sessionHandle: string | null;
  ip: string;
  /** The request's user agent and id, for the audit trail (a client locked out by bad secrets). */
  request: RequestMeta;
  res: ServerResponse;
  /**
   * A device-code entry being served (deviceEntryGuard.ts): the code to show, and whether the
   * one sent was wrong, or found live (neither: it was never looked up).
   */
  deviceEntry?: { prefill?: string; wrong?: boolean; found?: boolean };
  /** Set by the provider once it has routed the request (token, userinfo, ...): the metrics label. */
  route?: string;
}

export function createRequestScope() {
  const als = new AsyncLocalStorage<KeywardRequest>();
  return {
    run: <T>(request: KeywardRequest, fn: () => T): T => als.run(request, fn),
    /** The Keyward side of the request being served; absent outside a mounted request. */
    current: (): KeywardRequest | undefined => als.getStore(),
  };
}

export type RequestScope = ReturnType<typeof createRequestScope>;
