// Connectivity failures become one KeywardError('unavailable'), so the API answers 503
// instead of hanging or crashing; every other driver error propagates unchanged.
import {
  MongoBulkWriteError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  MongoOperationTimeoutError,
  MongoServerError,
} from 'mongodb';
import { unavailable } from '../../errors.js';

export function isConnectivityError(err: unknown): boolean {
  return (
    // No connection came free within waitQueueTimeoutMS (the driver does not export the class).
    (err instanceof Error && err.name === 'MongoWaitQueueTimeoutError') ||
    // FerretDB's SQLite file stayed locked by other writers: the database is busy, not wrong.
    (err instanceof MongoServerError && /\(SQLITE_BUSY\)/.test(err.message)) ||
    err instanceof MongoNetworkError ||
    err instanceof MongoServerSelectionError ||
    err instanceof MongoNotConnectedError ||
    err instanceof MongoTopologyClosedError ||
    err instanceof MongoOperationTimeoutError ||
    // insertMany reports a pool time-out or a lost connection as a bulk write error around it.
    (err instanceof MongoBulkWriteError && err.errorResponse instanceof Error && err.errorResponse !== err && isConnectivityError(err.errorResponse))
  );
}

export async function guard<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (isConnectivityError(err)) throw unavailable(err);
    throw err;
  }
}

/** Wraps every method of a store object in guard(). */
export function guarded<T extends object>(store: T): T {
  const out = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(store)) {
    out[name] = typeof fn === 'function' ? (...args: unknown[]) => guard(() => fn.apply(store, args)) : fn;
  }
  return out as T;
}

export const DUPLICATE_KEY = 11000;
export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  if ((err as { code?: unknown }).code === DUPLICATE_KEY) return true;
  // FerretDB v1 answers an update that breaks a unique index with a generic error that
  // carries SQLite's message (inserts get 11000).
  return err instanceof MongoServerError && /UNIQUE constraint failed/.test(err.message);
}
