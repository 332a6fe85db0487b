// Runs the pinned Schemathesis CLI (installed by scripts/build-schemathesis.sh outside the
// clone) against a live server's OpenAPI description and returns its exit code and output.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONFIG = fileURLToPath(new URL('schemathesis.toml', import.meta.url));

export const SCHEMATHESIS_VERSION = '4.32.5';

export function schemathesisBinary(): string {
  const cache = process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache');
  const bin = join(cache, 'keyward', `schemathesis-${SCHEMATHESIS_VERSION}`, 'bin', 'st');
  if (!existsSync(bin)) {
    throw new Error(`Schemathesis ${SCHEMATHESIS_VERSION} is not installed at ${bin}: run "bash scripts/build-schemathesis.sh" (npm test does)`);
  }
  return bin;
}

/** `env`: more environment for the run, such as SCHEMATHESIS_HOOKS and what the hooks read. */
export function runSchemathesis(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const child = spawn(schemathesisBinary(), ['--config-file', CONFIG, 'run', ...args], {
    // No colours and no interactive progress: the output is read by a person in a test log.
    env: { PATH: process.env['PATH'] ?? '', HOME: homedir(), NO_COLOR: '1', TERM: 'dumb', SCHEMATHESIS_TELEMETRY: 'false', PYTHONDONTWRITEBYTECODE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}
