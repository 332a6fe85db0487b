// The full fuzz run, on the embedded store (fast enough to compare the database after every
// case). CI: 10,400 cases with the fixed seed. `npm run fuzz` runs more with a random seed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedStorage } from '../../server/storage/embedded/createEmbeddedStorage.js';
import { startFuzzTarget } from './fuzzTarget.js';
import { embeddedSnapshot } from './databaseSnapshot.js';
import { defineFuzzSuite } from './fuzzSuite.js';

const TOTAL = Number(process.env['FUZZ_RUNS'] ?? 10_400);

const dir = mkdtempSync(join(tmpdir(), 'keyward-fuzz-'));
const storage = createEmbeddedStorage({ dataDir: dir });
const target = await startFuzzTarget(storage);
const snapshot = embeddedSnapshot(storage.file);

defineFuzzSuite(
  () => ({
    name: 'embedded',
    target,
    snapshot: snapshot.take,
    totalRuns: TOTAL,
    snapshotEachCase: true,
    async cleanup() {
      snapshot.close();
      await target.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  }),
  target.routes.map((r) => `${r.method} ${r.path}`),
);
