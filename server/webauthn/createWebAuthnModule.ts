// The security-key factor, assembled: ceremonies, its routes and its factor provider.
import type { FactorProvider } from '../session/factorDirectory.js';
import type { FactorModuleDeps } from '../session/factorModuleDeps.js';
import { webauthnRoutes } from '../http/routes/webauthnRoutes.js';
import { createChallengeService } from './challengeService.js';
import { createRegistration } from './registration.js';
import { createAuthentication } from './authentication.js';
import { webauthnPolicy } from './webauthnPolicy.js';
import { createPublicKeyCache } from './publicKeyCache.js';


export function createWebAuthnModule(deps: FactorModuleDeps) {
  const { config, storage, clock, random } = deps;
  const policy = webauthnPolicy(config);
  const challenges = createChallengeService({ store: storage.challenges, clock, random, ttlMs: policy.challengeTtlMs });
  const registration = createRegistration({ policy, credentials: storage.credentials, challenges, clock, mds: deps.mds });
  const authentication = createAuthentication({ policy, users: storage.users, credentials: storage.credentials, challenges, clock, keys: createPublicKeyCache() });
  const provider: FactorProvider = {
    factor: 'webauthn',
    hasFactor: async (userId) => (await storage.credentials.countByUser(userId)) > 0,
  };
  const router = webauthnRoutes({
    registration,
    authentication,
    users: storage.users,
    credentials: storage.credentials,
    access: deps.access,
    audit: deps.audit,
    random,
    factorAdded: deps.factorAdded,
    attempts: deps.attempts,
    mfaRequired: config.mfaRequired,
    keyModel: (aaguid) => deps.mds.keyModel(aaguid),
  });
  return { provider, router, registration };
}
