// Findings of the fuzz suites, each kept as a plain test.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { PASSWORD } from '../helpers/appFixture.js';
import type { Storage } from '../../server/storage/port.js';

describe('fuzz findings', () => {
  let app: TestApp;
  let storage: Storage;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ storage, dispose } = await embeddedFactory.create());
    app = await startTestApp({ storage });
  });
  afterEach(async () => {
    await app.close();
    await dispose();
  });

  // The JSON parser skipped DELETE bodies, so "DELETE /api/session" with a body of "{" signed
  // the person out (204) instead of refusing the malformed request.
  it('refuses a DELETE with a malformed JSON body (400) and leaves the session alone', async () => {
    const c = app.client();
    expect((await c.post('/api/accounts', { username: 'alice', password: PASSWORD })).status).toBe(201);
    const res = await c.request('DELETE', '/api/session', { body: '{', headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_request' });
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'enroll_required' });
    expect((await c.request('DELETE', '/api/session', { body: 'x', headers: { 'Content-Type': 'text/plain' } })).status).toBe(415);
    // Without a body (or with a well-formed one) sign-out works as before.
    expect((await c.request('DELETE', '/api/session', { body: '{}', headers: { 'Content-Type': 'application/json' } })).status).toBe(204);
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'anonymous' });
  });
});
