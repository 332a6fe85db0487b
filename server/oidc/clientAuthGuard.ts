// Client secrets checked against their hash (clientSecrets.ts), behind Keyward's attempt guard:
// wrong secrets for one client count like wrong passwords for one account (per client and
// address, per client, per address), with the same doubling back-off and 429 + Retry-After;
// the right secret always passes, so nobody can lock a client out by guessing.
import type { Client } from 'oidc-provider';
import { errors } from './oidcProviderLibrary.js';
import type Provider from 'oidc-provider';
import type { AttemptGuard } from '../guard/createAttemptGuard.js';
import { KeywardError } from '../errors.js';
import { secretMatches } from './clientSecrets.js';
import type { RequestScope } from './requestScope.js';

export function guardClientSecrets(provider: Provider, guard: AttemptGuard, scope: RequestScope): void {
  provider.Client.prototype.compareClientSecret = async function compareClientSecret(this: Client, presented: string): Promise<boolean> {
    const request = scope.current();
    const ip = request?.ip ?? 'unknown';
    const account = `oidc-client:${this.clientId}`;
    // A right secret is accepted without touching the budget: a confidential client redeems
    // codes in parallel, and strangers' wrong guesses must not lock it out. Client secrets are
    // long random strings (16+ characters from the file, 256 bits from the CLI), so counting
    // after the comparison costs nothing real; what the budget stops is a client being hammered.
    if (secretMatches(this.clientSecret, presented)) return true;
    try {
      const held = await guard.reserve('password', account, { ip, device: null, request: request?.request ?? { userAgent: null, requestId: null } });
      await guard.fail(held);
    } catch (err) {
      if (!(err instanceof KeywardError) || err.code !== 'too_many_attempts') throw err;
      for (const [name, value] of Object.entries(err.headers ?? {})) request?.res.setHeader(name, value);
      const refused = new errors.InvalidClient('too many failed attempts, try again later');
      Object.assign(refused, { status: 429, statusCode: 429 });
      throw refused;
    }
    return false;
  };
}
