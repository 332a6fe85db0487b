// Schemathesis against the administrator operations, as an administrator at aal 2 whose
// step-up stays fresh for the whole run (the test clock does not move), so the fuzzer gets
// past the access rules and really adds, invites, resets, unlocks, signs out and regroups
// people: the seeded accounts, and the ones it adds itself.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import type { Storage } from '../../server/storage/port.js';
import type { HttpClient } from '../helpers/httpClient.js';
import { signUpWithTotp } from '../http/totpSteps.js';
import { answersByOperation } from './schemathesisReport.js';
import { runSchemathesis } from './schemathesisRun.js';
import { schemathesisSeed, seedLine } from './schemathesisSeed.js';

const SEED = schemathesisSeed();
console.log(seedLine(SEED));

const HOOKS = fileURLToPath(new URL('schemathesisHooks.py', import.meta.url));
const ADMIN_OPERATIONS = [
  'GET /api/admin/users',
  'POST /api/admin/users',
  'POST /api/admin/invitations',
  'GET /api/admin/audit',
  'POST /api/admin/users/{id}/reset-mfa',
  'POST /api/admin/users/{id}/unlock',
  'POST /api/admin/users/{id}/sessions/revoke',
  'PATCH /api/admin/users/{id}/groups',
];

describe('Schemathesis against the administrator operations', () => {
  let storage: Storage;
  let dispose: () => Promise<void>;
  let app: TestApp;
  let admin: HttpClient;
  let cookie: string;
  let adminId: string;
  let reportDir: string;

  beforeAll(async () => {
    ({ storage, dispose } = await embeddedFactory.create());
    app = await startTestApp({ storage, env: { ADMIN_USERNAMES: 'root' } });
    const root = await signUpWithTotp(app, 'root');
    admin = root.c;
    cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    adminId = (await storage.users.findByUsername('root'))!.id;
    // People with factors and sessions, for the fuzzer to reset and sign out.
    for (const name of ['carol', 'dave', 'erin']) await signUpWithTotp(app, name);
    reportDir = mkdtempSync(join(tmpdir(), 'keyward-schemathesis-'));
  });
  afterAll(async () => {
    await app?.close();
    await dispose?.();
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  it('finds no failure, succeeds at every administrator operation, and the administrator stays signed in', async () => {
    const events = join(reportDir, 'events.ndjson');
    const { code, output } = await runSchemathesis(
      [
        `${app.url}/api/openapi.json`,
        '--url', app.url,
        '--seed', SEED.seed,
        '--max-examples', '10',
        '--workers', '1',
        '--no-shrink',
        // No example database in the working directory: each run depends on the seed alone.
        '--generation-database', 'none',
        '-H', `Origin: ${app.origin}`,
        '-H', `Cookie: ${cookie}`,
        '--include-path-regex', '^/api/admin/',
        '--report', 'ndjson',
        '--report-ndjson-path', events,
      ],
      { SCHEMATHESIS_HOOKS: HOOKS, KEYWARD_ADMIN_ID: adminId },
    );
    console.log(output);
    expect(code, `${seedLine(SEED)}\n${output}`).toBe(0);

    const answered = answersByOperation(readFileSync(events, 'utf8'));
    console.log('Answers by operation:', JSON.stringify(answered));
    for (const op of ADMIN_OPERATIONS) {
      expect(Object.keys(answered[op] ?? {}).some((status) => status.startsWith('2')), `${op}: ${JSON.stringify(answered[op])}`).toBe(true);
      // A 401 would mean the fuzzer signed the administrator out and tested nothing after.
      expect(answered[op], op).not.toHaveProperty('401');
    }
    // The changes really happened, as the audit trail records them.
    for (const type of ['admin.reset_mfa', 'admin.unlock', 'admin.revoke_sessions', 'admin.groups_changed', 'user.added', 'invitation.created']) {
      expect((await storage.audit.query({ type, limit: 1 })).length, type).toBe(1);
    }
    expect((await admin.get('/api/session')).body).toMatchObject({ status: 'authenticated', admin: true });
  }, 300_000);
});
