// oauth2-proxy v7.15.6 (built by scripts/build-oauth2-proxy.sh into a cache folder outside the
// clone) as a real third-party OpenID Connect client in front of a test app.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { stopChild, waitUntilListening } from './childServer.js';

export const OAUTH2_PROXY = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'keyward', 'oauth2-proxy-v7.15.6', 'oauth2-proxy');

/** Runs oauth2-proxy on 127.0.0.1:`port` with `args` (flags as in README), until stop(). */
export async function startOauth2Proxy(port: number, args: string[]): Promise<{ stop(): Promise<void>; log(): string }> {
  if (!existsSync(OAUTH2_PROXY)) throw new Error(`oauth2-proxy not found at ${OAUTH2_PROXY}: run scripts/build-oauth2-proxy.sh (npm test does).`);
  const child: ChildProcess = spawn(OAUTH2_PROXY, [`--http-address=127.0.0.1:${port}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  await waitUntilListening(child, port, { name: 'oauth2-proxy', output: () => log, withinMs: 15_000 });
  return { log: () => log, stop: () => stopChild(child) };
}

/** The oauth2-proxy flags exactly as docs/protecting-apps.md documents them, pointed at this test's ports. */
export function readmeFlags(vars: Record<string, string>): string[] {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'protecting-apps.md'), 'utf8');
  const block = /oauth2-proxy \(`--provider=oidc`[^\n]*\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('docs/protecting-apps.md has no oauth2-proxy snippet');
  const flags = [...block.matchAll(/(--[a-z-]+=)("[^"]*"|\S+)/g)].map((m) => m[1]! + m[2]!.replace(/^"|"$/g, ''));
  return flags.map((f) => Object.entries(vars).reduce((s, [k, v]) => s.replaceAll(k, v), f));
}

/**
 * oauth2-proxy on 127.0.0.1:`port` with the documented flags, as `front` (its public origin), in
 * front of the app on `appPort`, signing in at Keyward as the client `oauth2-proxy`.
 */
export function startDocumentedOauth2Proxy(o: { port: number; front: string; keywardOrigin: string; appPort: number; clientSecret: string }) {
  const flags = readmeFlags({
    'https://keyward.example.com': o.keywardOrigin,
    'https://reports.example.com': o.front,
    'http://127.0.0.1:8080/': `http://127.0.0.1:${o.appPort}/`,
    CLIENT_SECRET: o.clientSecret,
    COOKIE_SECRET: randomBytes(16).toString('hex'),
    'keyward.example.com': new URL(o.keywardOrigin).host,
  });
  // The tests speak plain HTTP to localhost.
  return startOauth2Proxy(o.port, flags.concat(['--cookie-secure=false']));
}
