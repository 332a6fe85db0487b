// Preloaded into a server process (NODE_OPTIONS=--import) by loadedOnFirstUse.test.ts: appends
// the URL of every module the process resolves to the file RESOLVED_MODULES_LOG names.
import { register } from 'node:module';

register('./resolvedModulesHooks.mjs', import.meta.url, { data: { log: process.env.RESOLVED_MODULES_LOG } });
