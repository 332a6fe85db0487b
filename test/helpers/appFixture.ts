// Per-test app on a fresh store: `const t = useApp(factory)` inside a describe.
import { afterEach, beforeEach } from 'vitest';
import type { Env } from '../../server/config.js';
import type { Storage } from '../../server/storage/port.js';
import type { StorageFactory } from './storageFactories.js';
import { startTestApp, type TestApp } from './testApp.js';

export interface AppFixture {
  app: TestApp;
  storage: Storage;
}

export function useApp(factory: StorageFactory, env: Env = {}): AppFixture {
  const fixture = {} as AppFixture;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    const created = await factory.create();
    dispose = created.dispose;
    fixture.storage = created.storage;
    fixture.app = await startTestApp({ storage: created.storage, env });
  });
  afterEach(async () => {
    await fixture.app.close();
    await dispose();
  });
  return fixture;
}

export const PASSWORD = 'correct horse battery staple';
