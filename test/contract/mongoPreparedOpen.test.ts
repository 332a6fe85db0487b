// A cluster worker opens a MongoDB database the primary prepared: it creates no index, and
// learns from the indexes there whether the server expires documents itself.
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createMongoStorage } from '../../server/storage/mongo/createMongoStorage.js';
import { mongoUri } from '../helpers/storageFactories.js';

describe('MongoDB store opened after the primary prepared it', () => {
  const dbNames: string[] = [];
  afterEach(async () => {
    const client = await MongoClient.connect(mongoUri());
    try {
      for (const name of dbNames.splice(0)) await client.db(name).dropDatabase();
    } finally {
      await client.close();
    }
  });
  const open = (dbName: string, prepared: boolean) => createMongoStorage({ uri: mongoUri(), dbName, timeoutMs: 5000, prepared });

  it('creates no index of its own, and sweeps itself when it finds no TTL index', async () => {
    const dbName = `kw_${randomBytes(6).toString('hex')}`;
    dbNames.push(dbName);
    const worker = await open(dbName, true);
    await worker.close();
    expect(worker.ttlSupported).toBe(false);
    const client = await MongoClient.connect(mongoUri());
    try {
      expect(await client.db(dbName).listCollections().toArray()).toEqual([]);
    } finally {
      await client.close();
    }
  });

  // FerretDB has no TTL indexes, so here both answer false; on MongoDB both answer true.
  it('answers whether TTL indexes exist as the preparing open found', async () => {
    const dbName = `kw_${randomBytes(6).toString('hex')}`;
    dbNames.push(dbName);
    const primary = await open(dbName, false);
    await primary.close();
    const worker = await open(dbName, true);
    try {
      expect(worker.ttlSupported).toBe(primary.ttlSupported);
      // A prepared database serves the worker like any other.
      expect(await worker.users.findByUsername('nobody')).toBeNull();
    } finally {
      await worker.close();
    }
  });
});
