// oauth2-proxy v7.15.6 (built by scripts/build-oauth2-proxy.sh into a cache folder outside the
// clone) as a real third-party OpenID Connect client in front of a test app.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';

export const OAUTH2_PROXY = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'keyward', 'oauth2-proxy-v7.15.6', 'oauth2-proxy');

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/** Runs oauth2-proxy on 127.0.0.1:`port` with `args` (flags as in README), until stop(). */
export async function startOauth2Proxy(port: number, args: string[]): Promise<{ stop(): Promise<void>; log(): string }> {
  if (!existsSync(OAUTH2_PROXY)) throw new Error(`oauth2-proxy not found at ${OAUTH2_PROXY}: run scripts/build-oauth2-proxy.sh (npm test does).`);
  const child: ChildProcess = spawn(OAUTH2_PROXY, [`--http-address=127.0.0.1:${port}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const end = Date.now() + 15_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`oauth2-proxy did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    log: () => log,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The oauth2-proxy flags exactly as docs/protecting-apps.md documents them, pointed at this test's ports. */
export function readmeFlags(vars: Record<string, string>): string[] {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'protecting-apps.md'), 'utf8');
  const block = /oauth2-proxy \(`--provider=oidc`[^\n]*\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('docs/protecting-apps.md has no oauth2-proxy snippet');
  const flags = [...block.matchAll(/(--[a-z-]+=)("[^"]*"|\S+)/g)].map((m) => m[1]! + m[2]!.replace(/^"|"$/g, ''));
  return flags.map((f) => Object.entries(vars).reduce((s, [k, v]) => s.replaceAll(k, v), f));
}
