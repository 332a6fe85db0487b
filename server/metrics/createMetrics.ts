// Keyward's Prometheus metrics, in a registry of their own (never prom-client's global one),
// so every app instance in a test process counts separately.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  signIns: Counter<'factor' | 'outcome'>;
  rateLimited: Counter<'route'>;
  lockouts: Counter;
  oidcEvents: Counter<'event' | 'outcome'>;
  dbDuration: Histogram<'store' | 'operation' | 'outcome'>;
}

/** `processMetrics`: also CPU, memory, event-loop lag and GC (once per process: main.ts). */
export function createMetrics(opts: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'keyward_http_requests_total',
      help: 'HTTP requests answered, by route template and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'keyward_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route template.',
      labelNames: ['method', 'route'],
      // Argon2id alone is ~35 ms: the buckets straddle it.
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    signIns: new Counter({
      name: 'keyward_signin_attempts_total',
      help: 'Sign-in and step-up attempts by factor (password, webauthn, passkey, totp, recovery_code) and outcome.',
      labelNames: ['factor', 'outcome'],
      registers,
    }),
    rateLimited: new Counter({
      name: 'keyward_rate_limited_total',
      help: 'Requests refused with 429 too_many_attempts, by route template.',
      labelNames: ['route'],
      registers,
    }),
    lockouts: new Counter({
      name: 'keyward_lockouts_total',
      help: 'Back-offs started by the brute-force guard.',
      registers,
    }),
    oidcEvents: new Counter({
      name: 'keyward_oidc_events_total',
      help: 'Single sign-on: authorizations, tokens issued from codes, refreshes, revocations and revoked grants, by outcome.',
      labelNames: ['event', 'outcome'],
      registers,
    }),
    dbDuration: new Histogram({
      name: 'keyward_db_operation_duration_seconds',
      help: 'Time of each storage operation, by store, operation and outcome (ok or error).',
      labelNames: ['store', 'operation', 'outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5],
      registers,
    }),
  };
}
