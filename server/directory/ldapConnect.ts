// Opens one LDAP connection: the configured URLs in order (fail-over), StartTLS or ldaps://
// with the operator's CA, bound as the service account (which also proves the server answers).
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Client } from 'ldapts';
import type { DirectoryConfig } from './directoryConfig.js';

export type LdapConnector = () => Promise<Client>;

export function createLdapConnector(config: DirectoryConfig): LdapConnector {
  const ca = config.caFile ? readFileSync(config.caFile, 'utf8') : undefined;
  const tls = (url: string): ConnectionOptions => {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    // The certificate is checked against the URL's host (SNI only for names, RFC 6066).
    return { ...(ca && { ca }), host, ...(!isIP(host) && { servername: host }), minVersion: 'TLSv1.2' };
  };

  return async () => {
    let last: unknown = new Error('no LDAP_URL');
    for (const url of config.urls) {
      // ldapts speaks TLS from the first byte whenever tlsOptions are given: only for ldaps://.
      const client = new Client({ url, timeout: config.timeoutMs, connectTimeout: config.timeoutMs, ...(url.startsWith('ldaps://') && { tlsOptions: tls(url) }) });
      try {
        if (config.startTls && url.startsWith('ldap://')) await client.startTLS(tls(url));
        await client.bind(config.bindDn, config.bindPassword);
        return client;
      } catch (err) {
        last = err;
        await client.unbind().catch(() => {});
      }
    }
    throw last;
  };
}
