// The LDAP directory (createLdapDirectory.ts) behind a PasswordDirectory that imports it at its
// first call: ldapts and what it brings (its ASN.1 and WHATWG URL stack, ≈ 2 MB of a worker's
// heap) stay out of every deployment without LDAP_URL, as app.ts reaches only this module.
// The CA file is still read here, at start, so a missing one still stops the start.
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { PasswordDirectory } from '../session/passwordDirectory.js';
import type { DirectoryConfig } from './directoryConfig.js';

export function ldapDirectory(config: DirectoryConfig, logger: Logger): PasswordDirectory {
  const ca = config.caFile ? readFileSync(config.caFile, 'utf8') : undefined;
  let loading: Promise<PasswordDirectory> | undefined;
  const directory = () => {
    loading ??= import('./createLdapDirectory.js').then(
      (m) => m.createLdapDirectory(config, logger, ca),
      (err: unknown) => {
        // A failed load is tried again by the next call, not remembered.
        loading = undefined;
        throw err;
      },
    );
    return loading;
  };
  return {
    findPerson: async (username) => (await directory()).findPerson(username),
    findById: async (id) => (await directory()).findById(id),
    verifyPassword: async (person, password) => (await directory()).verifyPassword(person, password),
    ...(config.passwordChange && { changePassword: async (person, current, next) => (await directory()).changePassword!(person, current, next) }),
    async close() {
      if (loading) await (await loading).close();
    },
  };
}
