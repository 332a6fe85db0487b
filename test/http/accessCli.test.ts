// `keyward users add`, `keyward invite` and `keyward users groups`, run as an operator would,
// against the database of a running Keyward; the links they print work in that Keyward.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { TEST_SECRETS, startTestApp, type TestApp } from '../helpers/testApp.js';
import { accountWith, tokenOf } from '../helpers/accessFlows.js';
import type { Storage } from '../../server/storage/port.js';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '..', '..');
const URL_LINE = /^https?:\/\/\S+$/m;

describe('letting people in from the command line', () => {
  let storage: Storage & { file: string };
  let dispose: () => Promise<void>;
  let app: TestApp;
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
      cwd: REPO,
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', DATA_DIR: dirname(storage.file), ORIGINS: app.origin, SIGNUP: 'invite', ...TEST_SECRETS, ...extra },
    });

  beforeEach(async () => {
    const created = await embeddedFactory.create();
    storage = created.storage as Storage & { file: string };
    dispose = created.dispose;
    app = await startTestApp({ storage, env: { SIGNUP: 'invite' } });
  });
  afterEach(async () => {
    await app.close();
    await dispose();
  });

  it('adds a user with groups and prints an enrolment link that sets their password', async () => {
    const { stdout } = await cli(['users', 'add', 'dave', '--group', 'ops', '--group', 'oncall']);
    const link = URL_LINE.exec(stdout)![0];
    expect(link.startsWith(`${app.origin}/enrol?token=`)).toBe(true);
    expect((await storage.users.findByUsername('dave'))?.groups).toEqual(['oncall', 'ops']);
    expect((await app.client().post('/api/enrolment', { token: tokenOf(link), password: PASSWORD })).status).toBe(200);
    await expect(cli(['users', 'add', 'dave'])).rejects.toMatchObject({ code: 1 });
    const types = (await storage.audit.query({ limit: 10 })).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['user.added', 'enrolment.completed']));
  });

  it('resets a user and prints the link that alone lets them back in', async () => {
    expect((await app.client().post('/api/accounts', accountWith(tokenOf((await cli(['invite'])).stdout.match(URL_LINE)![0]), 'gus'))).status).toBe(201);
    const { stdout } = await cli(['users', 'reset', 'gus']);
    const link = URL_LINE.exec(stdout)![0];
    expect(link.startsWith(`${app.origin}/enrol?token=`)).toBe(true);
    expect((await app.client().post('/api/session', { username: 'gus', password: PASSWORD })).status).toBe(401);
    expect((await app.client().post('/api/enrolment', { token: tokenOf(link), password: 'gus has a new passphrase' })).body).toMatchObject({ user: { username: 'gus' } });
    expect((await app.client().post('/api/enrolment', { token: tokenOf(link), password: 'gus has a new passphrase' })).status).toBe(403);
    await expect(cli(['users', 'reset', 'nobody'])).rejects.toMatchObject({ code: 1 });
    expect((await storage.audit.query({ type: 'admin.reset_mfa', limit: 5 })).map((e) => e.details['actorId'])).toEqual([null]);
  });

  it('prints an invitation bound to an address, and changes groups', async () => {
    const { stdout } = await cli(['invite', '--email', 'erin@example.com', '--group', 'staff']);
    const invitation = tokenOf(URL_LINE.exec(stdout)![0]);
    expect((await app.client().post('/api/accounts', accountWith(invitation, 'erin', { email: 'erin@example.com' }))).status).toBe(201);
    const changed = await cli(['users', 'groups', 'erin', '--add', 'ops', '--remove', 'staff']);
    expect(changed.stdout).toContain('"erin" is in: ops');
    expect((await storage.users.findByUsername('erin'))?.groups).toEqual(['ops']);
    await expect(cli(['users', 'groups', 'erin', '--add', 'bad,name'])).rejects.toMatchObject({ code: 64 });
    await expect(cli(['invite'], { SIGNUP: 'closed' })).rejects.toMatchObject({ code: 1 });
  });
});
