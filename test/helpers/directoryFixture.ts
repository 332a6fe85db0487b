// A real OpenLDAP for the file (beforeAll) and a fresh Keyward on a fresh store pointed at it
// for each test: `const t = useDirectoryApp(factory)`.
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { Env } from '../../server/config.js';
import type { Storage } from '../../server/storage/port.js';
import type { StorageFactory } from './storageFactories.js';
import { startTestApp, type TestApp } from './testApp.js';
import { startSlapd, type Person, type Slapd } from './slapd.js';
import { capturedLogger } from './capturedLogger.js';
import type { HttpClient } from './httpClient.js';
import { registerKey } from './webauthnFlows.js';
import { SoftAuthenticator } from './softAuthenticator.js';

export interface DirectoryFixture {
  slapd: Slapd;
  app: TestApp;
  storage: Storage;
  /** What the app logged, in order (pino's JSON lines). */
  logs: Record<string, unknown>[];
}

export function useSlapd(opts: { people?: Person[]; tls?: boolean } = {}): { slapd: Slapd } {
  const holder = {} as { slapd: Slapd };
  beforeAll(async () => {
    holder.slapd = await startSlapd(opts);
  });
  afterAll(async () => {
    await holder.slapd?.dispose();
  });
  return holder;
}

export function useDirectoryApp(factory: StorageFactory, directory: { slapd: Slapd }, env: Env | ((slapd: Slapd) => Env) = {}): DirectoryFixture {
  const fixture = {} as DirectoryFixture;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    const created = await factory.create();
    dispose = created.dispose;
    fixture.storage = created.storage;
    fixture.slapd = directory.slapd;
    const { logger, lines } = capturedLogger();
    fixture.logs = lines;
    fixture.app = await startTestApp({ storage: created.storage, env: { ...directory.slapd.env, ...(typeof env === 'function' ? env(directory.slapd) : env) }, logger });
  });
  afterEach(async () => {
    await fixture.app.close();
    await dispose();
  });
  return fixture;
}

/** A directory person's first sign-in and key enrolment: the client ends signed in at aal 2. */
export async function enrolDirectoryPerson(c: HttpClient, username: string, password: string, key = new SoftAuthenticator(c.origin)) {
  const first = await c.post('/api/session', { username, password });
  expect(first.status, JSON.stringify(first.body)).toBe(200);
  expect(first.body).toEqual({ status: 'enroll_required' });
  const res = await registerKey(c, key);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return key;
}
