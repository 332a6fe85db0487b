// Schemathesis fuzzes every operation of /api/openapi.json against the real server, anonymous
// and signed in, with every check it has (server errors, status codes, content types, response
// schemas, rejected bad input, accepted good input...). The seed comes from the commit (printed,
// with how to reuse it), so each commit tries other cases and a failure can be run again; a
// bounded number of examples keeps it under a minute.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import type { Storage } from '../../server/storage/port.js';
import { signUpWithTotp } from '../http/totpSteps.js';
import { runSchemathesis } from './schemathesisRun.js';
import { schemathesisSeed, seedLine } from './schemathesisSeed.js';

const SEED = schemathesisSeed();
console.log(seedLine(SEED));
const MAX_EXAMPLES = '10';

describe('Schemathesis against the OpenAPI description', () => {
  let storage: Storage;
  let dispose: () => Promise<void>;
  let app: TestApp;
  let cookie: string;

  beforeAll(async () => {
    ({ storage, dispose } = await embeddedFactory.create());
    app = await startTestApp({ storage });
    // Before the anonymous run, which fills the sign-up budget of this address.
    const { c } = await signUpWithTotp(app, 'alice');
    cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  });
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  // A missing binary throws here, failing each test with how to install it (never a skip).
  const run = (headers: string[], more: string[] = []) =>
    runSchemathesis([
      `${app.url}/api/openapi.json`,
      '--url', app.url,
      '--seed', SEED.seed,
      '--max-examples', MAX_EXAMPLES,
      '--workers', '1',
      '--no-shrink',
      '-H', `Origin: ${app.origin}`,
      ...headers.flatMap((h) => ['-H', h]),
      ...more,
    ]);

  it('finds no failure for an anonymous caller', async () => {
    const { code, output } = await run([]);
    console.log(output);
    expect(code, `${seedLine(SEED)}\n${output}`).toBe(0);
  }, 120_000);

  it('finds no failure for a signed-in caller', async () => {
    // Operations that end or replace the session would sign the fuzzer out for the rest of the
    // run (every later request a 401); the anonymous run covers them.
    const endsSession = ['deleteApiSession', 'postApiSession', 'postApiAccounts'];
    const { code, output } = await run([`Cookie: ${cookie}`], endsSession.flatMap((id) => ['--exclude-operation-id', id]));
    console.log(output);
    expect(code, `${seedLine(SEED)}\n${output}`).toBe(0);
  }, 120_000);
});
