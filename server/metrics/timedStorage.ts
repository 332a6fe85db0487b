// Database latency without touching either adapter: every method of every store is timed
// on its way through. The decorator keeps the storage's own extra fields (file, ttlSupported).
import type { Storage } from '../storage/port.js';
import type { Metrics } from './createMetrics.js';

const STORES = ['attempts', 'notices', 'users', 'sessions', 'challenges', 'credentials', 'audit', 'totp', 'recovery', 'signingKeys', 'noticeAddresses', 'invitations', 'oidc', 'logoutQueue'] as const;

export function timedStorage<S extends Storage>(storage: S, metrics: Metrics): S {
  const timed = <T extends object>(store: string, target: T): T => {
    const out = {} as Record<string, unknown>;
    for (const [operation, fn] of Object.entries(target)) {
      // The label children, made at the first call of each outcome: prom-client would hash
      // the label set on every call (every forward-auth check makes one).
      let ok: ReturnType<Metrics['dbDuration']['labels']> | undefined;
      let failed: ReturnType<Metrics['dbDuration']['labels']> | undefined;
      out[operation] =
        typeof fn === 'function'
          ? async (...args: unknown[]) => {
              const started = performance.now();
              try {
                const result: unknown = await fn.apply(target, args);
                (ok ??= metrics.dbDuration.labels({ store, operation, outcome: 'ok' })).observe((performance.now() - started) / 1000);
                return result;
              } catch (err) {
                (failed ??= metrics.dbDuration.labels({ store, operation, outcome: 'error' })).observe((performance.now() - started) / 1000);
                throw err;
              }
            }
          : fn;
    }
    return out as T;
  };
  const stores = Object.fromEntries(STORES.map((name) => [name, timed(name, storage[name])]));
  const { ping } = timed('storage', { ping: () => storage.ping() });
  return { ...storage, ...stores, ping };
}
