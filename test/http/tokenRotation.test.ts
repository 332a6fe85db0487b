// Signing keys rotate on a schedule shared by every instance: they agree on one key per
// period even when racing to make it, publish the next key before it signs, and keep an old
// key published until every token it signed has expired. Time moves on the shared test clock.
import { randomBytes } from 'node:crypto';
import { errors } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { createMongoStorage } from '../../server/storage/mongo/createMongoStorage.js';
import type { Storage } from '../../server/storage/port.js';
import { embeddedFactory, mongoUri } from '../helpers/storageFactories.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { createTestClock, type TestClock } from '../helpers/testClock.js';
import { freePort } from '../helpers/freePort.js';
import { HttpClient } from '../helpers/httpClient.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import { fetchJwks, issueToken, kidOf, kids, verifyToken } from './tokenChecks.js';

const MIN = 60_000;
const PERIOD = 60 * MIN;

interface Pair {
  stores: [Storage, Storage];
  dispose(): Promise<void>;
}

/** Two instances' storage: two clients of one MongoDB database, or the one embedded file store. */
const pairs = [
  {
    name: 'mongodb',
    async create(): Promise<Pair> {
      const dbName = `kw_rot_${randomBytes(4).toString('hex')}`;
      const open = () => createMongoStorage({ uri: mongoUri(), dbName, timeoutMs: 5000 });
      const stores: [Storage, Storage] = [await open(), await open()];
      return {
        stores,
        async dispose() {
          for (const s of stores) await s.close();
          const client = await MongoClient.connect(mongoUri());
          await client.db(dbName).dropDatabase().finally(() => client.close());
        },
      };
    },
  },
  {
    name: 'embedded',
    async create(): Promise<Pair> {
      const { storage, dispose } = await embeddedFactory.create();
      return { stores: [storage, storage], dispose };
    },
  },
];

describe.each(pairs)('signing key rotation across two instances ($name)', (pairFactory) => {
  let pair: Pair;
  let a: TestApp;
  let b: TestApp;
  let clock: TestClock;
  let periodStart: number;

  beforeEach(async () => {
    pair = await pairFactory.create();
    const port = await freePort();
    // A period boundary ahead of real time, so cookies stay valid while the clock moves.
    periodStart = (Math.floor(Date.now() / PERIOD) + 1) * PERIOD;
    clock = createTestClock(periodStart + 10 * MIN);
    // The clock jumps a whole period between requests: the session must outlast the idle timeout.
    const env = { ORIGINS: `http://localhost:${port}`, SIGNING_KEY_ROTATION: String(PERIOD / 1000), SESSION_IDLE_TIMEOUT: String(PERIOD / 1000) };
    a = await startTestApp({ storage: pair.stores[0], clock, env });
    b = await startTestApp({ storage: pair.stores[1], clock, env });
  });
  afterEach(async () => {
    await a?.close();
    await b?.close();
    await pair?.dispose();
  });

  /** One signed-in browser, reachable through either instance. */
  async function signedIn(username: string) {
    const toA = new HttpClient(a.url, a.config.origins[0]!);
    await signUpWithKey(toA, username);
    const toB = new HttpClient(b.url, toA.origin);
    for (const [k, v] of toA.cookies) toB.cookies.set(k, v);
    return { toA, toB };
  }

  it('makes one key for a period even when both instances race to make it, and both sign with it', async () => {
    const { toA, toB } = await signedIn('alice');
    const tokens = await Promise.all(Array.from({ length: 12 }, (_, i) => issueToken((i % 2 ? toB : toA).clone())));
    expect(new Set(tokens.map((x) => kidOf(x.token))).size).toBe(1);
    // One key of each family: ES256 for session tokens, RS256 beside it for OpenID Connect.
    expect((await pair.stores[0].signingKeys.list()).map((k) => k.alg)).toEqual(['ES256', 'RS256']);
    expect((await fetchJwks(a)).keys).toEqual((await fetchJwks(b)).keys);
    expect(kids(await fetchJwks(a), 'RS256')).toHaveLength(1);
  });

  it('adds an RSA key to a ring that holds only EC keys, and tokens already issued still verify', async () => {
    const { toA, toB } = await signedIn('dora');
    const before = (await issueToken(toA)).token;
    const ecKid = kidOf(before);
    // A ring as Keyward kept it before RS256: its EC key only.
    await pair.stores[0].signingKeys.removeBefore('RS256', Number.MAX_SAFE_INTEGER);
    expect((await pair.stores[0].signingKeys.list()).map((k) => k.alg)).toEqual(['ES256']);
    clock.advance(1000);
    const [jwksA, jwksB] = await Promise.all([fetchJwks(a), fetchJwks(b)]);
    expect(jwksA.keys).toEqual(jwksB.keys);
    expect(kids(jwksA)).toEqual([ecKid]);
    expect(kids(jwksA, 'RS256')).toHaveLength(1);
    await expect(verifyToken(b, before)).resolves.toMatchObject({ kid: ecKid });
    expect(kidOf((await issueToken(toB)).token)).toBe(ecKid);
  });

  it('publishes the next key before it signs, and retires the old one only after its tokens expired', async () => {
    const { toA, toB } = await signedIn('bob');
    const first = kidOf((await issueToken(toA)).token);
    expect(kidOf((await issueToken(toB)).token)).toBe(first);
    expect(kids(await fetchJwks(b))).toEqual([first]);
    const [firstRsa] = kids(await fetchJwks(b), 'RS256');

    // Five minutes before the next period: the next key is published, not yet signing.
    clock.set(periodStart + PERIOD - 5 * MIN);
    const published = kids(await fetchJwks(a));
    expect(published).toHaveLength(2);
    // The RSA family rotates on the same schedule.
    const publishedRsa = kids(await fetchJwks(b), 'RS256');
    expect(publishedRsa).toHaveLength(2);
    expect(publishedRsa[0]).toBe(firstRsa);
    const next = published.find((k) => k !== first)!;
    expect(kids(await fetchJwks(b))).toEqual(published);
    expect(kidOf((await issueToken(toB)).token)).toBe(first);

    // It signs only once it has been published for 15 minutes.
    clock.set(periodStart + PERIOD + 9 * MIN);
    const lastOld = (await issueToken(toA)).token;
    expect(kidOf(lastOld)).toBe(first);
    clock.set(periodStart + PERIOD + 10 * MIN);
    expect(kidOf((await issueToken(toA)).token)).toBe(next);
    expect(kidOf((await issueToken(toB)).token)).toBe(next);
    // The old key's last token still verifies with either instance's JWKS.
    await expect(verifyToken(b, lastOld)).resolves.toMatchObject({ kid: first });

    // Once its last possible token has expired (15 min + a margin), the old key is gone.
    clock.set(periodStart + PERIOD + 10 * MIN + 16 * MIN);
    expect(kids(await fetchJwks(b))).toEqual([next]);
    expect(kids(await fetchJwks(a))).toEqual([next]);
    const issuedAt = new Date(periodStart + PERIOD + 9 * MIN);
    await expect(verifyToken(a, lastOld, { currentDate: issuedAt })).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    await expect(verifyToken(a, (await issueToken(toB)).token)).resolves.toMatchObject({ kid: next });
    expect((await pair.stores[0].signingKeys.list()).map((k) => k.kid)).toEqual([next, publishedRsa[1]]);
    expect(kids(await fetchJwks(a), 'RS256')).toEqual([publishedRsa[1]]);
  });
});
