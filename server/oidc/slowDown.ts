// Polling of the device authorization grant (RFC 8628 §3.5): a command line asks the token
// endpoint every `interval` seconds whether the person has answered. oidc-provider answers
// authorization_pending however often it is asked; Keyward answers slow_down to a poll that
// comes within the same interval as the previous one for that device code. One atomic claim
// per device code and interval window (AttemptStore.claimOnce), so every instance agrees and
// polls sent all at once get one pending answer between them. Windows are aligned, so a client
// that waits the interval between polls is never told to slow down.
import { createHash } from 'node:crypto';
import type Provider from 'oidc-provider';
import { errors, Provider as OidcProvider } from './oidcProviderLibrary.js';

/** Seconds a command line waits between polls (the device authorization response's interval). */
export const DEVICE_POLL_INTERVAL = 5;

export interface SlowDownDeps {
  /** true for exactly one caller per key and window (AttemptGuard.once). */
  once: (key: string, windowMs: number) => Promise<boolean>;
  intervalSeconds: number;
}

export function slowDownFastPolling(provider: Provider, deps: SlowDownDeps): void {
  type Found = { accountId?: string; error?: string; isExpired: boolean } | undefined;
  const DeviceCode = provider.DeviceCode as unknown as { find: (value: string, options?: unknown) => Promise<Found> };
  const find = DeviceCode.find.bind(DeviceCode);
  // The token endpoint's lookup of the device code (the device_code grant); the pages that
  // resume a device sign-in look it up too, and are not polls.
  DeviceCode.find = async (value: string, options?: unknown) => {
    const code = await find(value, options);
    const ctx = (OidcProvider as unknown as { ctx?: { oidc?: { route?: string } } }).ctx;
    if (code && ctx?.oidc?.route === 'token' && !code.accountId && !code.error && !code.isExpired) {
      const key = `device-poll:${createHash('sha256').update(value).digest('base64url')}`;
      if (!(await deps.once(key, deps.intervalSeconds * 1000))) throw new errors.SlowDown();
    }
    return code;
  };
  // The interval, said: RFC 8628 makes 5 seconds the default when it is not.
  provider.use(async (ctx, next) => {
    await next();
    const route = (ctx as unknown as { oidc?: { route?: string } }).oidc?.route;
    if (route === 'device_authorization' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      (ctx.body as Record<string, unknown>)['interval'] = deps.intervalSeconds;
    }
  });
}
