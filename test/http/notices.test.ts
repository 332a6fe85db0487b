// Security notices: stored for the person, marked read, and sent out by e-mail (a real
// local SMTP server) or a signed webhook, retried, never holding up a sign-in.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { embeddedFactory, storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { freePort } from '../helpers/freePort.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtpSink.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { assertWith, registerKey, signUpWithKey } from '../helpers/webauthnFlows.js';
import { signUpWithTotp, startEnrollment } from './totpSteps.js';

async function eventually<T>(probe: () => T | Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(storageFactories)('notices ($name)', (factory) => {
  const t = useApp(factory);

  it('tells the person a factor was added or removed, and lets them mark notices read', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'alice');
    await registerKey(c, new SoftAuthenticator(t.app.origin));
    const [, second] = (await c.get<{ id: string }[]>('/api/webauthn/credentials')).body;
    await c.delete(`/api/webauthn/credentials/${second!.id}`);
    const notices = await c.get<{ id: string; type: string; message: string }[]>('/api/me/notices');
    expect(notices.body.map((n) => n.type)).toEqual(['factor.removed', 'factor.added', 'factor.added']);
    expect(notices.body[0]!.message).toBe('A security key was removed from your account.');
    expect((await c.post('/api/me/notices/read', { ids: [notices.body[0]!.id] })).status).toBe(204);
    expect((await c.get<unknown[]>('/api/me/notices')).body).toHaveLength(2);
    expect((await c.post('/api/me/notices/read', {})).status).toBe(204);
    expect((await c.get<unknown[]>('/api/me/notices')).body).toEqual([]);
  });

  it('says "An authenticator app", keeps quiet about a set-up never confirmed, and tells of new recovery codes', async () => {
    const { c } = await signUpWithTotp(t.app, 'erin');
    const unconfirmed = await startEnrollment(c, 'Abandoned');
    expect((await c.delete(`/api/totp/authenticators/${unconfirmed.id}`)).status).toBe(204);
    expect((await c.post('/api/recovery-codes')).status).toBe(201);
    const notices = (await c.get<{ type: string; message: string }[]>('/api/me/notices')).body;
    expect(notices.map((n) => [n.type, n.message])).toEqual([
      ['recovery_codes.regenerated', 'A new set of recovery codes was made for your account; the old codes no longer work.'],
      ['factor.added', 'An authenticator app was added to your account.'],
    ]);
  });

  it('warns about a suspected cloned key', async () => {
    const c = t.app.client();
    const key = new SoftAuthenticator(t.app.origin, { initialCounter: 10 });
    await signUpWithKey(c, 'bob', key);
    await c.delete('/api/session');
    await c.post('/api/session', { username: 'bob', password: PASSWORD });
    expect((await assertWith(c, key, { counter: 3 })).status).toBe(401);
    expect((await assertWith(c, key, { counter: 20 })).status).toBe(200); // flagged, not banned
    const types = (await c.get<{ type: string }[]>('/api/me/notices')).body.map((n) => n.type);
    expect(types).toContain('key.clone_suspected');
  });

  it('keeps another person\'s notices out of reach', async () => {
    const a = t.app.client();
    await signUpWithKey(a, 'carol');
    const b = t.app.client();
    await signUpWithKey(b, 'dave');
    const mine = (await a.get<{ id: string }[]>('/api/me/notices')).body;
    await b.post('/api/me/notices/read', { ids: mine.map((n) => n.id) });
    expect((await a.get<unknown[]>('/api/me/notices')).body).toHaveLength(mine.length);
  });
});

describe('notices by e-mail and webhook', () => {
  let smtp: SmtpSink;
  let hook: Server;
  const hooks: { signature: string; body: string }[] = [];
  let hookPort: number;
  let hookFailures = 0;
  // While set, a failing webhook call is not answered until the test opens the gate.
  let failureGate: Promise<void> | null = null;
  let app: TestApp;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    failureGate = null;
    hooks.length = 0;
    smtp = await startSmtpSink();
    hookPort = await freePort();
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', async () => {
        if (hookFailures > 0) {
          hookFailures--;
          await failureGate;
          res.writeHead(503).end();
          return;
        }
        hooks.push({ signature: String(req.headers['x-keyward-signature']), body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(hookPort, '127.0.0.1', r));
    const created = await embeddedFactory.create();
    dispose = created.dispose;
    app = await startTestApp({
      storage: created.storage,
      env: {
        SMTP_URL: smtp.url,
        SMTP_FROM: 'Keyward <security@keyward.test>',
        NOTICE_WEBHOOK_URL: `http://127.0.0.1:${hookPort}/notices`,
        NOTICE_WEBHOOK_SECRET: 'w'.repeat(40),
      },
    });
  });
  afterEach(async () => {
    await app.close();
    await dispose();
    await smtp.close();
    await new Promise<void>((r) => hook.close(() => r()));
  });

  it('mails a person at the address they confirmed, from a real SMTP exchange', async () => {
    const c = app.client();
    await signUpWithKey(c, 'erin');
    expect((await c.post('/api/me/email', { email: 'erin@example.org' })).status).toBe(202);
    const link = smtp.linkIn(await smtp.waitFor('erin@example.org'));
    expect((await c.post('/api/me/email/confirm', { token: link.searchParams.get('token') })).status).toBe(200);
    await registerKey(c, new SoftAuthenticator(app.origin));
    const mail = await smtp.waitFor('erin@example.org', (m) => m.raw.includes('A security key was added to your account.'));
    expect(mail.raw).toContain('Subject: Keyward: security notice');
  });

  it('posts each notice to the webhook with an HMAC signature the receiver can check', async () => {
    await signUpWithKey(app.client(), 'frank');
    const got = await eventually(() => hooks, (h) => h.length > 0);
    const { signature, body } = got[0]!;
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature)!;
    expect(createHmac('sha256', 'w'.repeat(40)).update(`${t}.${body}`).digest('hex')).toBe(v1);
    expect(JSON.parse(body)).toMatchObject({ type: 'factor.added', user: { username: 'frank' } });
  });

  it('retries a failing webhook without holding up the request that caused the notice', async () => {
    hookFailures = 1;
    let open!: () => void;
    failureGate = new Promise((r) => (open = r));
    // The webhook's failing answer is held back until the sign-up is done: were the request
    // waiting for the webhook, it would never finish (ordering by events, not by a timer).
    await signUpWithKey(app.client(), 'gina');
    expect(hooks).toHaveLength(0);
    open();
    const got = await eventually(() => hooks, (h) => h.length > 0, 8000);
    expect(JSON.parse(got[0]!.body)).toMatchObject({ user: { username: 'gina' } });
  });
});
