// The rules file is checked at start (a bad rule is named and stops it) and reloaded on
// change; a broken new file keeps the rules in force and the log says why.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { capturedLogger } from '../helpers/capturedLogger.js';
import { createRulesHolder, type RulesHolder } from '../../server/access/rules/createRulesHolder.js';
import { parseRuleFile } from '../../server/access/rules/ruleFile.js';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import type { Storage } from '../../server/storage/port.js';

const OPEN = 'rules:\n  - domain: app.example.com\n    policy: bypass\n';
const CLOSED = 'rules:\n  - domain: app.example.com\n    policy: deny\n';
const ask = (app: TestApp) => app.client().get('/api/authz', { headers: { 'X-Forwarded-Host': 'app.example.com', 'X-Forwarded-Uri': '/', 'X-Forwarded-Proto': 'https' } });

describe('checking the rules file', () => {
  it.each([
    ['rules:\n  - domain: a.example.com\n    policy: bypass\n  - domain: b.example.com\n    networks: [10.0.0.0/33]\n    policy: deny\n', 'rules.1.networks.0'],
    ['rules:\n  - domain: a.example.com\n    resources: ["^/(unclosed"]\n    policy: deny\n', 'rules.0.resources.0'],
    ['rules:\n  - domain: a.example.com\n    policy: allow\n', 'rules.0.policy'],
    ['rules:\n  - domain: a.example.com\n    subject: admins\n    policy: deny\n', 'rules.0.subject'],
    ['rules:\n  - domain: a.example.com\n    policy: deny\n    method: GET\n', 'rules.0'],
    ['rules:\n  - domain: "*.*.example.com"\n    policy: deny\n', 'rules.0.domain'],
    ['default_policy: maybe\n', 'default_policy'],
    ['rules: [unclosed\n', 'not valid YAML'],
  ])('refuses a bad rule, naming where it is (%#)', (text, where) => {
    expect(() => parseRuleFile(text, 'rules.yml')).toThrow(where);
  });

  // What cannot run in time linear in the path: look-around and back-references.
  it.each([
    ['^/admin(?=/)', 'rules.1.resources.0'],
    ['^/(?!public/)', 'rules.1.resources.0'],
    ['(?<=/)admin', 'rules.1.resources.0'],
    ['(?<!x)admin', 'rules.1.resources.0'],
    ['^/(a+)\\1$', 'rules.1.resources.0'],
    ['^/(?<p>a)\\k<p>$', 'rules.1.resources.0'],
  ])('refuses %s, which a linear-time engine cannot run, naming %s', (regex, where) => {
    const text = `rules:\n  - domain: a.example.com\n    policy: bypass\n  - domain: a.example.com\n    resources: ['${regex}']\n    policy: deny\n`;
    expect(() => parseRuleFile(text, 'rules.yml')).toThrow(new RegExp(`${where.replaceAll('.', '\\.')}: not a regular expression that runs in linear time`));
  });

  it('refuses look-around in `query` too, naming the field', () => {
    expect(() => parseRuleFile("rules:\n  - domain: a.example.com\n    query: ['^(?!safe=)']\n    policy: deny\n", 'rules.yml')).toThrow('rules.0.query.0: not a regular expression that runs in linear time');
  });

  it('refuses a resource that matches a literal ?, since resources never see the query', () => {
    expect(() => parseRuleFile("rules:\n  - domain: a.example.com\n    resources: ['^/api\\?debug=1']\n    policy: deny\n", 'rules.yml')).toThrow('rules.0.resources.0: matches a literal "?"');
    expect(() => parseRuleFile("rules:\n  - domain: a.example.com\n    resources: ['^/x[?&]y']\n    policy: deny\n", 'rules.yml')).toThrow('rules.0.resources.0');
    expect(parseRuleFile("rules:\n  - domain: a.example.com\n    resources: ['^/[^?]+\\.css$', '^/a?b']\n    policy: deny\n", 'rules.yml').rules[0]!.resources).toHaveLength(2);
  });
});

describe('reloading the rules file', () => {
  let dir: string;
  let file: string;
  let storage: Storage;
  let dispose: () => Promise<void>;
  let app: TestApp;
  let holder: RulesHolder;
  let log: ReturnType<typeof capturedLogger>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyward-rules-'));
    file = join(dir, 'rules.yml');
    writeFileSync(file, OPEN);
    log = capturedLogger();
    holder = createRulesHolder(file, log.logger);
    ({ storage, dispose } = await embeddedFactory.create());
    app = await startTestApp({ storage, accessRules: holder, env: { TRUST_PROXY: 'true', ACCESS_RULES_FILE: file } });
  });
  afterEach(async () => {
    await app.close();
    await dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops the start when a rule is bad', () => {
    writeFileSync(file, 'rules:\n  - domain: app.example.com\n    policy: sometimes\n');
    expect(() => createRulesHolder(file, log.logger)).toThrow('rules.0.policy');
  });

  it('keeps the rules in force when the new file is broken, and logs why', async () => {
    expect((await ask(app)).status).toBe(200);
    writeFileSync(file, 'rules:\n  - domain: app.example.com\n    networks: [not-a-network]\n    policy: deny\n');
    expect(holder.reload()).toBe(false);
    expect((await ask(app)).status).toBe(200);
    expect(log.lines.at(-1)).toMatchObject({ level: 50, reason: expect.stringContaining('rules.0.networks.0') });
    writeFileSync(file, CLOSED);
    expect(holder.reload()).toBe(true);
    expect((await ask(app)).status).toBe(403);
  });

  it('ignores a file being copied in pieces (empty, then half written) until it parses whole', async () => {
    writeFileSync(file, CLOSED);
    expect(holder.reload()).toBe(true);
    expect((await ask(app)).status).toBe(403);
    // What `cp` leaves between its writes: the truncated file, then a prefix of the new one.
    writeFileSync(file, '');
    expect(holder.reload()).toBe(false);
    expect(log.lines.at(-1)).toMatchObject({ level: 40, msg: expect.stringContaining('file is empty') });
    expect((await ask(app)).status).toBe(403);
    writeFileSync(file, OPEN.slice(0, OPEN.indexOf('policy') + 3));
    expect(holder.reload()).toBe(false);
    expect((await ask(app)).status).toBe(403);
    writeFileSync(file, OPEN);
    expect(holder.reload()).toBe(true);
    expect((await ask(app)).status).toBe(200);
  });

  it('keeps the rules in force when a new rule uses look-around, naming the rule and field', async () => {
    writeFileSync(file, "rules:\n  - domain: app.example.com\n    resources: ['^/(?!public/)']\n    policy: deny\n");
    expect(holder.reload()).toBe(false);
    expect((await ask(app)).status).toBe(200);
    expect(log.lines.at(-1)).toMatchObject({ level: 50, reason: expect.stringContaining('rules.0.resources.0: not a regular expression that runs in linear time') });
  });

  it('reloads by itself when the file is replaced', async () => {
    const stop = holder.watch();
    try {
      writeFileSync(`${file}.new`, CLOSED);
      renameSync(`${file}.new`, file);
      await expect.poll(async () => (await ask(app)).status).toBe(403);
    } finally {
      stop();
    }
  });
});
