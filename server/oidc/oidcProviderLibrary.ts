// oidc-provider, loaded once, here, without its "Unsupported runtime" warning.
//
// On import, oidc-provider 9 warns (console.warn) on any Node.js release older than 22 LTS.
// Keyward supports Node.js >= 20.19 (package.json engines; the Docker image runs 24), and
// what the provider needs from the runtime is there in 20.19: URL.parse (20.18), crypto.hash
// (20.12), WebCrypto and fetch, and jose 6 and Koa 3 run on it. The warning would print
// at every start, and in every test process, about nothing Keyward uses; so that one line,
// and only it, is dropped while the module loads: every other warning still goes out.
//
// Every value import of oidc-provider comes from here (eslint.config.js refuses the others),
// so no module loads it first with the warning. Type imports are erased and stay direct.

const RUNTIME_WARNING = /oidc-provider WARNING: Unsupported runtime\./;

/** Runs `load` with console.warn passing everything but oidc-provider's runtime warning. */
export async function withoutRuntimeWarning<T>(load: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && RUNTIME_WARNING.test(args[0])) return;
    warn.apply(console, args);
  };
  try {
    return await load();
  } finally {
    console.warn = warn;
  }
}

const library = await withoutRuntimeWarning(() => import('oidc-provider'));

export const { Provider, errors, interactionPolicy } = library;
