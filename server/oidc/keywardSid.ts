// The sid of OpenID Connect sessions is the Keyward session's public handle: the same in
// every ID token and logout token issued in one Keyward session (a prompt=login re-sign-in
// keeps the handle), which is what lets a relying party match a back-channel logout to its
// own session, and lets oauth2-proxy's backend logout (backendLogout.ts) name the Keyward
// session to end. oidc-provider would draw a random sid per client and put it only into the
// ID tokens of clients with a back-channel logout URI; both are replaced here, on the
// provider's own classes (each provider has its own), and so is its back-channel delivery:
// a logout token owed from an RP-initiated logout goes through Keyward's queue
// (backchannelLogout.ts) like every other one, retried and surviving a restart.
import type Provider from 'oidc-provider';
import type { RequestScope } from './requestScope.js';

export interface OwedLogout {
  clientId: string;
  sub: string;
  sid: string;
}

interface SessionPrototype {
  ensureClientContainer(this: SessionPrototype, clientId: string): void;
  sidFor(clientId: string, value?: string): string | undefined;
}

interface ClientPrototype {
  clientId: string;
  includeSid(): boolean;
  backchannelLogout(this: ClientPrototype, sub: string, sid: string): Promise<void>;
}

export function sidIsKeywardSession(provider: Provider, scope: RequestScope, owe: (logouts: OwedLogout[]) => Promise<void>): void {
  const session = (provider.Session as unknown as { prototype: SessionPrototype }).prototype;
  const drawSid = session.ensureClientContainer;
  // Called on every authorization request that has a grant: the sid follows the Keyward session.
  session.ensureClientContainer = function (clientId) {
    const handle = scope.current()?.sessionHandle;
    if (handle) this.sidFor(clientId, handle);
    else drawSid.call(this, clientId);
  };
  const client = (provider.Client as unknown as { prototype: ClientPrototype }).prototype;
  client.includeSid = () => true;
  client.backchannelLogout = async function (sub, sid) {
    await owe([{ clientId: this.clientId, sub, sid }]);
  };
}
