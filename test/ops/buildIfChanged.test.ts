// `npm start` builds only when the build's inputs changed: scripts/build-if-changed.mjs, run
// as `npm start` runs it, on a tiny project whose fake build records each run in builds.log
// (so what happened is read off the build's own record and the script's one line, not timed).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const script = join(repo, 'scripts/build-if-changed.mjs');

// The fake build: copies src/app.txt to out/app.js, refuses a source saying "broken".
const FAKE_BUILD = `
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
const source = readFileSync('src/app.txt', 'utf8');
appendFileSync('builds.log', 'built\\n');
if (source.includes('broken')) { console.error('build failed'); process.exit(3); }
mkdirSync('out', { recursive: true });
writeFileSync('out/app.js', source);
`;

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'keyward-build-'));
  mkdirSync(join(root, 'src/nested'), { recursive: true });
  writeFileSync(join(root, 'src/app.txt'), 'version 1');
  writeFileSync(join(root, 'src/nested/part.txt'), 'part');
  writeFileSync(join(root, 'settings.json'), '{}');
  writeFileSync(join(root, 'build.mjs'), FAKE_BUILD);
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({
      name: 'fake',
      buildStamp: { command: 'node build.mjs', inputs: ['src', 'settings.json', 'absent.json'], outputs: ['out/app.js'], stamp: 'out/.build-stamp' },
    }),
  );
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Runs the script; its first output line and the number of builds so far. */
function run(...args: string[]): { line: string; builds: number; status: number } {
  let stdout: string;
  let status = 0;
  try {
    stdout = execFileSync(process.execPath, [script, '--root', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout: string; status: number };
    stdout = e.stdout;
    status = e.status;
  }
  const log = join(root, 'builds.log');
  const builds = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
  return { line: stdout.split('\n')[0]!, builds, status };
}

describe('build only when sources changed', () => {
  it('builds a fresh clone, then says the build is up to date without building', () => {
    expect(run()).toEqual({ line: 'no build yet: building', builds: 1, status: 0 });
    expect(readFileSync(join(root, 'out/app.js'), 'utf8')).toBe('version 1');
    expect(run()).toEqual({ line: 'build is up to date', builds: 1, status: 0 });
  });

  it('builds again when a source changes, is added or is removed, and not when only its time changes', () => {
    run();
    writeFileSync(join(root, 'src/app.txt'), 'version 2');
    expect(run()).toEqual({ line: 'sources changed: building', builds: 2, status: 0 });
    expect(readFileSync(join(root, 'out/app.js'), 'utf8')).toBe('version 2');

    utimesSync(join(root, 'src/app.txt'), new Date(2001, 0, 1), new Date(2001, 0, 1));
    expect(run()).toMatchObject({ line: 'build is up to date', builds: 2 });

    writeFileSync(join(root, 'src/nested/new.txt'), 'new');
    expect(run()).toMatchObject({ line: 'sources changed: building', builds: 3 });
    rmSync(join(root, 'src/nested/new.txt'));
    expect(run()).toMatchObject({ line: 'sources changed: building', builds: 4 });
    writeFileSync(join(root, 'settings.json'), '{"x":1}');
    expect(run()).toMatchObject({ line: 'sources changed: building', builds: 5 });
    expect(run()).toMatchObject({ line: 'build is up to date', builds: 5 });
  });

  it('builds again after a failed build, even once the sources are back as they were', () => {
    run();
    writeFileSync(join(root, 'src/app.txt'), 'broken');
    expect(run()).toEqual({ line: 'sources changed: building', builds: 2, status: 3 });
    writeFileSync(join(root, 'src/app.txt'), 'version 1');
    expect(run()).toEqual({ line: 'no build yet: building', builds: 3, status: 0 });
  });

  it('builds again when an output is gone, and always with --force', () => {
    run();
    rmSync(join(root, 'out/app.js'));
    expect(run()).toMatchObject({ line: 'no build yet: building', builds: 2 });
    expect(run('--force')).toMatchObject({ line: 'build asked for: building', builds: 3 });
    expect(run()).toMatchObject({ line: 'build is up to date', builds: 3 });
  });
});

describe("the real project's build stamp", () => {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
    bin: Record<string, string>;
    buildStamp: { inputs: string[]; outputs: string[]; command: string };
  };

  it('is what npm start, npm run build, the benchmarks and the screenshots go through', () => {
    expect(pkg.scripts['start']).toBe('node scripts/build-if-changed.mjs && node dist/server/main.js');
    expect(pkg.scripts['build']).toBe('node scripts/build-if-changed.mjs --force');
    for (const name of ['bench', 'bench:profile', 'screenshots']) expect(pkg.scripts[name]).toMatch(/^node scripts\/build-if-changed\.mjs && /);
  });

  it('hashes everything the server and client builds read, and checks what start and the CLI run', async () => {
    const tsBuild = JSON.parse(readFileSync(join(repo, 'tsconfig.build.json'), 'utf8')) as { extends: string; include: string[] };
    const vite = (await import('../../vite.config.js')).default as { root: string };
    const read = [...tsBuild.include, tsBuild.extends.replace(/^\.\//, ''), 'tsconfig.build.json', vite.root, 'vite.config.ts', 'package.json', 'package-lock.json'];
    expect(pkg.buildStamp.inputs).toEqual(expect.arrayContaining(read));
    expect(pkg.buildStamp.command).toContain('build:server');
    expect(pkg.buildStamp.command).toContain('build:client');
    expect(pkg.buildStamp.outputs).toEqual(expect.arrayContaining(['dist/server/main.js', pkg.bin['keyward']!.replace(/^\.\//, ''), 'dist/client/index.html']));
  });
});
