import type { Factor } from '../api.js';
import type { VerifyMethod } from './method.js';

/** In order of preference: the first one the user has is shown first. */
export const verifyMethods: VerifyMethod[] = [];

export function methodsFor(factors: Factor[]): VerifyMethod[] {
  return verifyMethods.filter((m) => factors.includes(m.factor));
}
