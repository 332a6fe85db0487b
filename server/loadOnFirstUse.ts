// A package loaded synchronously at its first use rather than at start, for what only some
// deployments use (YAML files, rule regexes, look-alike usernames): a worker that only answers
// forward-auth checks does not carry it. Only for packages with a CommonJS entry (require),
// and for their values: type imports stay static and are erased.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function loadOnFirstUse<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
