// kill -9 of the server on the embedded store in the middle of writes, then a restart: the
// SQLite file passes integrity_check, the confirmed key still signs in, and every write the
// server had acknowledged is there.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { assertWith, passwordStep, signUpWithKey } from '../helpers/webauthnFlows.js';
import { startServerProcess, type ServerProcess } from './serverProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'keyward-kill9-'));

describe('kill -9 on the embedded store', () => {
  let server: ServerProcess | undefined;
  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      process.kill(server.pid, 'SIGKILL');
      await server.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no confirmed factor and no acknowledged write, and leaves an intact database', async () => {
    // Secrets as files, as compose secrets would hand them over.
    const secrets = join(dir, 'secrets');
    writeFileSync(secrets + '-sessions', randomBytes(32).toString('base64url') + '\n');
    writeFileSync(secrets + '-totp', `k1:${randomBytes(32).toString('base64')}\n`);
    const env = { DATA_DIR: join(dir, 'data'), SESSION_SECRETS_FILE: secrets + '-sessions', TOTP_ENCRYPTION_KEYS_FILE: secrets + '-totp', LOG_LEVEL: 'warn', WORKERS: '1' };
    // One process: the kill -9 lands on the process that writes (with workers it would hit the
    // primary, and the workers would then stop gracefully).
    server = await startServerProcess(env);
    const alice = server.client();
    const key = new SoftAuthenticator(server.origin);
    const { credential } = await signUpWithKey(alice, 'alice', key);

    // Writes from several clients at once: renames of the key (one at a time, each
    // acknowledged before the next), new accounts and new authenticator-app set-ups.
    let lastRenamed = -1;
    const created: string[] = [];
    let running = true;
    const renames = (async () => {
      for (let i = 0; running; i++) {
        const res = await alice.patch(`/api/webauthn/credentials/${credential.id}`, { name: `key ${i}` }).catch(() => null);
        if (res?.status === 200) lastRenamed = i;
        else return;
      }
    })();
    const signUps = [0, 1, 2].map(async (w) => {
      for (let i = 0; running; i++) {
        const username = `user-${w}-${i}`;
        const res = await server!.client().post('/api/accounts', { username, password: PASSWORD }).catch(() => null);
        if (res?.status === 201) created.push(username);
        else return;
      }
    });
    const setups = (async () => {
      while (running) if ((await alice.post('/api/totp/authenticators', {}).catch(() => null))?.status !== 201) return;
    })();
    // Until a fair number of writes went through, then kill it in the middle of more.
    while (lastRenamed < 30 || created.length < 6) await new Promise((r) => setTimeout(r, 10));
    process.kill(server.pid, 'SIGKILL');
    const { signal } = await server.exited;
    running = false;
    await Promise.all([renames, setups, ...signUps]);
    expect(signal).toBe('SIGKILL');

    const file = join(env.DATA_DIR, 'keyward.sqlite');
    const db = new Database(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = db.prepare('SELECT name FROM credentials WHERE id = ?').get(credential.id) as { name: string } | undefined;
    db.close();
    // The last acknowledged rename, or one still in flight when the process died.
    expect(Number(stored?.name.replace('key ', ''))).toBeGreaterThanOrEqual(lastRenamed);

    // Same port: the key is bound to the origin, which includes it.
    server = await startServerProcess(env, server.port);
    const again = server.client();
    await passwordStep(again, 'alice');
    const res = await assertWith(again, key);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await again.get('/api/session')).body).toMatchObject({ status: 'authenticated', aal: 2 });
    // Every acknowledged account exists and signs in (a sample: each costs an Argon2id hash).
    for (const username of [created[0]!, created.at(-1)!]) {
      expect((await server.client().post('/api/session', { username, password: PASSWORD })).status).toBe(200);
    }
    process.kill(server.pid, 'SIGTERM');
    expect((await server.exited).code).toBe(0);
  });
});
