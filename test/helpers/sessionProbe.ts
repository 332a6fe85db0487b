// The real session store of a test app, watched: which writes reach it, and a hook that runs
// just before an update, so a test can end the session between a request's read and its write.
import { afterEach, beforeEach } from 'vitest';
import type { Env } from '../../server/config.js';
import type { SessionStore, Storage } from '../../server/storage/port.js';
import type { StorageFactory } from './storageFactories.js';
import { startTestApp, type TestApp } from './testApp.js';

export interface ProbedApp {
  app: TestApp;
  storage: Storage;
  /** Every session write, as `method` (create, update, rotate, destroy...), in order. */
  writes: string[];
  /** Runs (and is awaited) before the store applies a write (`update`, `rotate`...) of `idHash`; cleared after each test. */
  beforeWrite: ((method: string, idHash: string) => Promise<void>) | null;
}

function probed(store: SessionStore, probe: ProbedApp): SessionStore {
  const watched = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(store) as [string, (...a: unknown[]) => Promise<unknown>][]) {
    watched[name] = async (...args: unknown[]) => {
      if (!/^(get|list)/.test(name)) {
        probe.writes.push(name);
        if (probe.beforeWrite) await probe.beforeWrite(name, args[0] as string);
      }
      return fn.apply(store, args);
    };
  }
  return watched as unknown as SessionStore;
}

export function useProbedApp(factory: StorageFactory, env: Env = {}): ProbedApp {
  const probe = { writes: [], beforeWrite: null } as unknown as ProbedApp;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    const created = await factory.create();
    dispose = created.dispose;
    probe.storage = created.storage;
    probe.writes.length = 0;
    probe.beforeWrite = null;
    const storage = { ...created.storage, sessions: probed(created.storage.sessions, probe) };
    probe.app = await startTestApp({ storage, env });
  });
  afterEach(async () => {
    await probe.app.close();
    await dispose();
  });
  return probe;
}
