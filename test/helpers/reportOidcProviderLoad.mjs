// Preloaded into a child process (node --import): says on stderr, one line, when anything
// resolves the oidc-provider package, so a test can tell whether a module loads it.
import { register } from 'node:module';

const hook = `export async function resolve(specifier, context, next) {
  if (specifier === 'oidc-provider') process.stderr.write('oidc-provider loaded\\n');
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
