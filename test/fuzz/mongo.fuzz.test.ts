// A smaller fuzz run on the MongoDB adapter (FerretDB, or MONGODB_URI), comparing the
// database after every property. FUZZ_RUNS_MONGO sets its size.
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { createMongoStorage } from '../../server/storage/mongo/createMongoStorage.js';
import { mongoUri } from '../helpers/storageFactories.js';
import { startFuzzTarget } from './fuzzTarget.js';
import { mongoSnapshot } from './databaseSnapshot.js';
import { defineFuzzSuite } from './fuzzSuite.js';

const TOTAL = Number(process.env['FUZZ_RUNS_MONGO'] ?? 1200);

const uri = mongoUri();
const dbName = `kw_fuzz_${randomBytes(4).toString('hex')}`;
const storage = await createMongoStorage({ uri, dbName, timeoutMs: 5000 });
const target = await startFuzzTarget(storage);
const snapshot = await mongoSnapshot(uri, dbName);

defineFuzzSuite(
  () => ({
    name: 'mongodb',
    target,
    snapshot: snapshot.take,
    totalRuns: TOTAL,
    snapshotEachCase: false,
    async cleanup() {
      await snapshot.close();
      await target.close();
      await storage.close();
      const client = await MongoClient.connect(uri);
      await client.db(dbName).dropDatabase().finally(() => client.close());
    },
  }),
  target.routes.map((r) => `${r.method} ${r.path}`),
);
