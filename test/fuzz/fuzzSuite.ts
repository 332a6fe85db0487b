// One fuzz suite, run on either store: every registered route gets malformed requests from
// every persona, and both WebAuthn verify routes get damaged responses for live challenges.
// Each answer must be a 4xx with a DESIGN error code (never a 5xx), the server must keep
// answering, and the stored data must be unchanged.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { ERROR_STATUS } from '../../server/errors.js';
import { apiOperations } from '../../server/http/openapi/apiOperations.js';
import { toOpenApiPath } from '../../server/http/openapi/registeredRoutes.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import type { FuzzTarget, Persona } from './fuzzTarget.js';
import { PERSONAS } from './fuzzTarget.js';
import { malformedRequests, type FuzzRequest } from './malformedRequests.js';
import { authenticationDamage, damage, registrationDamage, type Damage } from './webauthnMutations.js';
import type { Snapshot } from './databaseSnapshot.js';

/** CI's fixed seed; FUZZ_SEED picks another, or `random` (npm run fuzz). Failures print theirs. */
const seedSetting = process.env['FUZZ_SEED'] ?? '20261107';
export const FUZZ_SEED = seedSetting === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(seedSetting);

export interface FuzzSuiteOptions {
  name: string;
  target: FuzzTarget;
  snapshot: Snapshot;
  /** Cases for the whole suite; split between the routes and the two WebAuthn byte properties. */
  totalRuns: number;
  /** Compare the database after every case (cheap on SQLite), else after every property. */
  snapshotEachCase: boolean;
  cleanup(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
  setCookie: boolean;
}

async function send(t: FuzzTarget, persona: Persona, req: { method: string; path: string; contentType: string | null; body: string | Buffer | undefined }): Promise<Answer> {
  const jar = t.clients[persona].cookies;
  const headers: Record<string, string> = { Origin: t.origin };
  if (jar.size) headers['Cookie'] = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  if (req.contentType !== null) headers['Content-Type'] = req.contentType;
  const payload = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : req.body;
  const res = await fetch(t.url + req.path, { method: req.method, headers, body: payload, redirect: 'manual' });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: checked below where it matters
  }
  return { status: res.status, body, setCookie: res.headers.getSetCookie().length > 0 };
}

/** 4xx with {error, message}, the error from DESIGN's closed list and matching the status. */
function expectRefusal(a: Answer, describe: string): void {
  if (a.status >= 500 || a.status < 400) throw new Error(`${describe}: answered ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
  const b = a.body as { error?: unknown; message?: unknown };
  const code = typeof b?.error === 'string' ? b.error : '';
  if (!(code in ERROR_STATUS) || ERROR_STATUS[code as keyof typeof ERROR_STATUS] !== a.status || typeof b.message !== 'string') {
    throw new Error(`${describe}: ${a.status} with body ${JSON.stringify(a.body).slice(0, 300)}`);
  }
  // A refused request must not hand out (or replace) a session.
  if (a.setCookie) throw new Error(`${describe}: a refused request set a cookie`);
}

const short = (r: FuzzRequest, persona: string) => {
  const body = r.body === undefined ? '' : Buffer.isBuffer(r.body) ? `<${r.body.length} bytes>` : r.body.length > 160 ? `${r.body.slice(0, 160)}…(${r.body.length})` : r.body;
  return `[${r.label}] ${persona} ${r.method} ${r.path.slice(0, 120)} ${r.contentType ?? '(no type)'} ${body}`;
};

export function defineFuzzSuite(getOpts: () => FuzzSuiteOptions, routeKeys: string[]) {
  let cases = 0;
  let serverErrors = 0;
  const routeRuns = (n: number) => Math.max(20, Math.ceil(n));
  // A case takes a few milliseconds; long runs (npm run fuzz) need room.
  const timeout = () => Math.max(30_000, getOpts().totalRuns * 15);

  describe('malformed requests to every route', () => {
    afterAll(async () => {
      await getOpts().cleanup();
    });

    for (const key of routeKeys) {
      it(`${key}: malformed input refused with a DESIGN error code, never a 5xx, stored data unchanged`, async () => {
        const o = getOpts();
        const { target: t } = o;
        const [method, path] = key.split(' ') as [string, string];
        const op = apiOperations(t.config).find((x) => x.method.toUpperCase() === method && x.path === toOpenApiPath(path));
        expect(op, `${key} has no entry in server/http/openapi/apiOperations.ts`).toBeDefined();
        const samples: Record<string, unknown> = { response: path.includes('registration') ? t.sampleRegistration : t.sampleAuthentication };
        const arb = fc.tuple(fc.constantFrom(...PERSONAS), malformedRequests({ method, path, op: op! }, { bodyLimit: t.config.bodyLimitBytes, totpDigits: t.config.totpDigits, samples }));
        const before = await o.snapshot();
        await fc.assert(
          fc.asyncProperty(arb, async ([persona, req]) => {
            cases++;
            const a = await send(t, persona, req);
            if (a.status >= 500) serverErrors++;
            if (req.expect === 'client_error') expectRefusal(a, short(req, persona));
            else if (a.status >= 500) throw new Error(`${short(req, persona)}: answered ${a.status}`);
            else if (a.status >= 400) expectRefusal(a, short(req, persona));
            if (o.snapshotEachCase) expect(await o.snapshot(), short(req, persona)).toEqual(before);
          }),
          { seed: FUZZ_SEED, numRuns: routeRuns(o.totalRuns * 0.76 / routeKeys.length) },
        );
        expect(await o.snapshot()).toEqual(before);
        expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
      }, timeout());
    }

    it('POST /api/webauthn/registration/verify: damaged attestations for live challenges are refused', async () => {
      const o = getOpts();
      const t = o.target;
      const carol = t.clients.enrolling;
      const key = new SoftAuthenticator(t.origin, { attestation: 'packed' });
      const before = await o.snapshot();
      await fc.assert(
        fc.asyncProperty(registrationDamage, async (d: Damage) => {
          cases++;
          const options = await carol.post<PublicKeyCredentialCreationOptionsJSON>('/api/webauthn/registration/options', {});
          expect(options.status).toBe(200);
          const response = damage(key.register(options.body) as RegistrationResponseJSON & { response: Record<string, unknown> }, d);
          const req = { method: 'POST', path: '/api/webauthn/registration/verify', contentType: 'application/json', body: JSON.stringify({ response }) };
          const a = await send(t, 'enrolling', req);
          if (a.status >= 500) serverErrors++;
          expectRefusal(a, `[${d.label}] enrolling POST /api/webauthn/registration/verify`);
          if (o.snapshotEachCase) expect(await o.snapshot(), d.label).toEqual(before);
        }),
        { seed: FUZZ_SEED, numRuns: routeRuns(o.totalRuns * 0.12) },
      );
      expect(await o.snapshot()).toEqual(before);
    }, timeout());

    it('POST /api/webauthn/authentication/verify: damaged assertions for live challenges are refused', async () => {
      const o = getOpts();
      const t = o.target;
      const before = await o.snapshot();
      await fc.assert(
        fc.asyncProperty(fc.constantFrom<Persona>('pending', 'passkey'), authenticationDamage, async (persona, d: Damage) => {
          cases++;
          const c = t.clients[persona];
          const options = await c.post<PublicKeyCredentialRequestOptionsJSON>('/api/webauthn/authentication/options', {});
          expect(options.status).toBe(200);
          const response = damage(t.aliceKey.assert(options.body) as AuthenticationResponseJSON & { response: Record<string, unknown> }, d);
          const req = { method: 'POST', path: '/api/webauthn/authentication/verify', contentType: 'application/json', body: JSON.stringify({ response }) };
          const a = await send(t, persona, req);
          if (a.status >= 500) serverErrors++;
          expectRefusal(a, `[${d.label}] ${persona} POST /api/webauthn/authentication/verify`);
          if (o.snapshotEachCase) expect(await o.snapshot(), d.label).toEqual(before);
        }),
        { seed: FUZZ_SEED, numRuns: routeRuns(o.totalRuns * 0.12) },
      );
      expect(await o.snapshot()).toEqual(before);
    }, timeout());

    it('ran the stated number of cases, none answered 5xx, and the server still answers', async () => {
      const o = getOpts();
      console.info(`fuzz (${o.name}): ${cases} cases, seed ${FUZZ_SEED}, 5xx answers: ${serverErrors}`);
      expect(serverErrors).toBe(0);
      expect(cases).toBeGreaterThanOrEqual(Math.floor(o.totalRuns * 0.99));
      expect((await fetch(`${o.target.url}/readyz`)).status).toBe(200);
    });
  });
}
