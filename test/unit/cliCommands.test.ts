// The `keyward` command line as an operator meets it: help for every command without any set-up,
// a typo named and corrected, and a database command that loads only what it needs.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cliCommands } from '../../server/cliCommands.js';
import { nearestCommand } from '../../server/nearestCommand.js';

const REPO = join(import.meta.dirname, '..', '..');
const PRELOAD = join(REPO, 'test', 'helpers', 'reportLoadedPackages.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'keyward-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function keyward(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', pathToFileURL(PRELOAD).href, '--import', 'tsx', 'server/cli.ts', ...args], { cwd: REPO, env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}

describe('the keyward command line', () => {
  it.each(Object.keys(cliCommands))('answers "keyward %s --help" with its usage, exit 0, touching no database', async (name) => {
    const dataDir = join(scratch, `help-${name.replaceAll(' ', '-')}`);
    const { code, stdout, stderr } = await keyward([...name.split(' '), '--help'], { DATA_DIR: dataDir });
    expect({ code, stderr: stderr.replace(/^loaded packages:.*\n/m, '') }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(`Usage: ${cliCommands[name]!.usage}\n\n${cliCommands[name]!.summary}\n`);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('names an unknown command, suggests the nearest and exits 2', async () => {
    const typo = await keyward(['admin', 'grnat', 'alice']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('keyward: unknown command: admin grnat\nDid you mean: keyward admin grant?\n');
    const half = await keyward(['users']);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('unknown command: users\nDid you mean one of: keyward users add, keyward users reset, keyward users groups, keyward users list?');
    const other = await keyward(['backup']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('unknown command: backup\nRun keyward --help for every command.');
  });

  it('suggests only a plausible typo', () => {
    const names = Object.keys(cliCommands);
    expect(nearestCommand(['usr', 'add', 'x'], names)).toBe('users add');
    expect(nearestCommand(['oidc', 'client', 'list'], names)).toBe('oidc clients list');
    expect(nearestCommand(['invit'], names)).toBe('invite');
    expect(nearestCommand(['backup'], names)).toBeNull();
  });

  it('runs a database command on the embedded store without loading the server, MongoDB, the password hasher or logging', async () => {
    const { code, stdout, stderr } = await keyward(['admin', 'grant', 'nobody'], { DATA_DIR: join(scratch, 'grant') });
    expect({ code, stdout }).toEqual({ code: 1, stdout: 'No user named "nobody".\n' });
    const loaded = /^loaded packages: (.*)$/m.exec(stderr)?.[1]?.split(' ') ?? [];
    expect(loaded).toContain('better-sqlite3'); // the store it did open: the report sees packages
    for (const unneeded of ['mongodb', 'koa', '@koa/router', 'pino', '@node-rs/argon2', 'nodemailer']) expect(loaded, unneeded).not.toContain(unneeded);
  });
});
