import type { Factor } from './sessionState.js';

/** Each factor module registers one of these; the session asks them what a user has. */
export interface FactorProvider {
  factor: Factor;
  hasFactor(userId: string): Promise<boolean>;
}

export interface FactorDirectory {
  listFactors(userId: string): Promise<Factor[]>;
}

export function createFactorDirectory(providers: FactorProvider[]): FactorDirectory {
  return {
    async listFactors(userId) {
      const present = await Promise.all(providers.map((p) => p.hasFactor(userId)));
      return providers.filter((_, i) => present[i]).map((p) => p.factor);
    },
  };
}
