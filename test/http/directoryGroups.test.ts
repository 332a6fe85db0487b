// Directory groups everywhere groups are read: session tokens, access rules' group: subjects,
// and the OIDC groups and email claims (the directory's mail counts as confirmed).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { enrolDirectoryPerson, useDirectoryApp, useSlapd } from '../helpers/directoryFixture.js';
import { PEOPLE } from '../helpers/slapd.js';
import { issueToken, verifyToken } from './tokenChecks.js';
import { findAccount } from '../../server/oidc/claims.js';

/** What a reverse proxy sends with a forward-auth request for https://host/. */
const forwarded = (host: string) => ({ headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': host, 'X-Forwarded-Uri': '/', 'X-Forwarded-Method': 'GET', 'X-Forwarded-For': '203.0.113.5' } });

const pw = (uid: string) => PEOPLE.find((p) => p.uid === uid)!.password;

const rulesDir = mkdtempSync(join(tmpdir(), 'keyward-directory-rules-'));
const rulesFile = join(rulesDir, 'rules.yml');
writeFileSync(
  rulesFile,
  `default_policy: deny
rules:
  - domain: eng.example.com
    subject: group:engineering
    policy: two_factor
`,
);
afterAll(() => rmSync(rulesDir, { recursive: true, force: true }));

describe.each(storageFactories)('directory groups ($name)', (factory) => {
  const directory = useSlapd();
  const t = useDirectoryApp(factory, directory, { TRUST_PROXY: 'true', ACCESS_RULES_FILE: rulesFile, AUTHZ_RETURN_DOMAINS: '.example.com' });

  it('puts the directory groups in session tokens', async () => {
    const c = t.app.client();
    await enrolDirectoryPerson(c, 'alice', pw('alice'));
    const { payload } = await verifyToken(t.app, (await issueToken(c)).token);
    expect(payload).toMatchObject({ preferred_username: 'alice', name: 'Alice Liddell', groups: ['admins', 'engineering'] });
  });

  it('lets access rules match a directory group, and refuses a person outside it', async () => {
    const bob = t.app.client();
    await enrolDirectoryPerson(bob, 'bob', pw('bob'));
    const carol = t.app.client();
    await enrolDirectoryPerson(carol, 'carol', pw('carol'));
    const ask = (c: typeof bob) => c.get('/api/authz', forwarded('eng.example.com'));
    const allowed = await ask(bob);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('remote-groups')).toBe('engineering');
    expect((await ask(carol)).status).toBe(403);
  });

  it('gives OIDC clients the merged groups and the directory mail as a verified address', async () => {
    await enrolDirectoryPerson(t.app.client(), 'alice', pw('alice'));
    const alice = (await t.storage.users.findByUsername('alice'))!;
    await t.storage.users.changeGroups(alice.id, ['on-call'], []);
    const account = await findAccount({ users: t.storage.users, addresses: t.storage.noticeAddresses })({} as never, alice.id);
    const claims = await account!.claims('id_token', 'openid profile email groups', {}, []);
    expect(claims).toMatchObject({ sub: alice.id, preferred_username: 'alice', groups: ['admins', 'engineering', 'on-call'], email: 'alice@example.org', email_verified: true });
  });
});
