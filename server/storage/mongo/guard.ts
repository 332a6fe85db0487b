// Connectivity failures become one KeywardError('unavailable'), so the API answers 503
// instead of hanging or crashing; every other driver error propagates unchanged.
import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  MongoOperationTimeoutError,
} from 'mongodb';
import { unavailable } from '../../errors.js';

export function isConnectivityError(err: unknown): boolean {
  return (
    err instanceof MongoNetworkError ||
    err instanceof MongoServerSelectionError ||
    err instanceof MongoNotConnectedError ||
    err instanceof MongoTopologyClosedError ||
    err instanceof MongoOperationTimeoutError
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
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === DUPLICATE_KEY;
}
