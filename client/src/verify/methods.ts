import type { Factor } from '../api.js';
import type { VerifyMethod } from './method.js';
import { securityKeyMethod } from './securityKey.js';
import { totpCodeMethod } from './totpCode.js';
import { recoveryCodeMethod } from './recoveryCode.js';

/** In order of preference: the first one the user has is shown first. */
export const verifyMethods: VerifyMethod[] = [securityKeyMethod, totpCodeMethod, recoveryCodeMethod];

export function methodsFor(factors: Factor[]): VerifyMethod[] {
  return verifyMethods.filter((m) => factors.includes(m.factor) && (m.available?.() ?? true));
}
