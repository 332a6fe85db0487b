// One database server for the whole run: MONGODB_URI when given, else FerretDB.
// Each test file uses its own database name on it (see storageFactories.ts).
import type { TestProject } from 'vitest/node';
import { startFerretDb, type FerretDb } from './ferretdb.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

let ferret: FerretDb | undefined;

export async function setup(project: TestProject): Promise<void> {
  const given = process.env['MONGODB_URI'];
  if (given) {
    project.provide('mongoUri', given);
    return;
  }
  ferret = await startFerretDb();
  project.provide('mongoUri', ferret.uri);
}

export async function teardown(): Promise<void> {
  await ferret?.dispose();
}
