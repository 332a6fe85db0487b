#!/usr/bin/env node
// `npm start` builds only when the build's inputs changed since the last successful build.
// Plain Node (no TypeScript) because it runs before anything is built. What the build reads
// and where its stamp goes are in package.json ("buildStamp"), next to the build command:
// the inputs are hashed by content (a checkout or a copy changes modification times, not
// content), and the hash is written to the stamp only after the build succeeded. The stamp
// is removed before a build starts, so an interrupted build never passes for a finished one.
//
//   node scripts/build-if-changed.mjs [--root DIR] [--force]
//
// Prints one line saying what it does ("build is up to date" or "...: building"), then the
// build's own output; exits with the build's exit code.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

function readSettings(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const s = pkg.buildStamp;
  if (!s || !Array.isArray(s.inputs) || !Array.isArray(s.outputs) || typeof s.stamp !== 'string' || typeof s.command !== 'string') {
    throw new Error(`${join(root, 'package.json')}: "buildStamp" needs inputs, outputs, stamp and command`);
  }
  return s;
}

/** Every file under the inputs (files or folders), as sorted paths relative to root. */
function inputFiles(root, inputs) {
  const files = [];
  const walk = (path) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    else files.push(relative(root, path).split(sep).join('/'));
  };
  for (const input of inputs) walk(join(root, input));
  return files.sort();
}

/** One hash over the names and contents of every input file (a rename or a deletion counts). */
function hashInputs(root, inputs) {
  const hash = createHash('sha256');
  for (const file of inputFiles(root, inputs)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Why a build is needed, or null when the outputs match the inputs. */
function reasonToBuild(root, settings, hash) {
  const stampPath = join(root, settings.stamp);
  if (!existsSync(stampPath) || settings.outputs.some((o) => !existsSync(join(root, o)))) return 'no build yet';
  return readFileSync(stampPath, 'utf8').trim() === hash ? null : 'sources changed';
}

/**
 * Builds when needed (always with `force`). Returns what it did; `log` gets the one line.
 * The build runs in `root` through the shell, with its output passed through.
 */
export function buildIfChanged({ root, force = false, log = console.log }) {
  const settings = readSettings(root);
  const hash = hashInputs(root, settings.inputs);
  const reason = force ? 'build asked for' : reasonToBuild(root, settings, hash);
  if (!reason) {
    log('build is up to date');
    return { built: false, status: 0 };
  }
  log(`${reason}: building`);
  const stampPath = join(root, settings.stamp);
  rmSync(stampPath, { force: true });
  const run = spawnSync(settings.command, { cwd: root, shell: true, stdio: 'inherit' });
  const status = run.status ?? 1;
  if (status === 0) {
    mkdirSync(dirname(stampPath), { recursive: true });
    writeFileSync(stampPath, `${hash}\n`);
  }
  return { built: true, status };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--root');
  const root = resolve(at >= 0 ? args[at + 1] : join(dirname(fileURLToPath(import.meta.url)), '..'));
  process.exitCode = buildIfChanged({ root, force: args.includes('--force') }).status;
}
