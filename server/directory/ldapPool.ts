// A bounded pool of LDAP connections, each used by one caller at a time (a bind changes who the
// connection acts as, so binds must not interleave with searches on it). A connection that
// failed other than with an LDAP result (socket closed, timeout) is dropped and the next
// caller opens a fresh one: the directory restarting costs one failed request, not a restart.
import { Client, ResultCodeError } from 'ldapts';

export interface LdapPool {
  use<T>(fn: (client: Client) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface LdapPoolOptions {
  size: number;
  /** Opens a ready connection (fail-over across URLs, StartTLS, service bind: ldapConnect.ts). */
  open(): Promise<Client>;
}

export function createLdapPool(opts: LdapPoolOptions): LdapPool {
  const idle: Client[] = [];
  const waiting: Array<() => void> = [];
  let open = 0;
  let closed = false;

  async function acquire(): Promise<Client> {
    for (;;) {
      const c = idle.pop();
      if (c) {
        if (c.isConnected) return c;
        // The directory closed it while idle (restart, idle timeout): open another.
        open--;
        void c.unbind().catch(() => {});
        continue;
      }
      if (open < opts.size) {
        open++;
        try {
          return await opts.open();
        } catch (err) {
          open--;
          waiting.shift()?.();
          throw err;
        }
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  }

  function release(c: Client, healthy: boolean): void {
    if (healthy && !closed) idle.push(c);
    else {
      open--;
      void c.unbind().catch(() => {});
    }
    waiting.shift()?.();
  }

  return {
    async use(fn) {
      const c = await acquire();
      try {
        const result = await fn(c);
        release(c, true);
        return result;
      } catch (err) {
        // An LDAP answer (wrong password, no such object) leaves the connection usable.
        release(c, err instanceof ResultCodeError && c.isConnected);
        throw err;
      }
    },
    async close() {
      closed = true;
      await Promise.all(idle.splice(0).map((c) => c.unbind().catch(() => {})));
    },
  };
}
