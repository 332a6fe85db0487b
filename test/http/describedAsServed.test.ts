// Where the server and its API description used to disagree (found by Schemathesis with other
// seeds): the methods a path lists, and text fields the server trims.
import { describe, expect, it } from 'vitest';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';

describe('the server does what its description says', () => {
  const t = useApp(embeddedFactory);

  it('lists only POST for /api/me/sessions/revoke-others (a word, not a session id), and refuses DELETE with 405', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'alice');
    const options = await c.request('OPTIONS', '/api/me/sessions/revoke-others');
    expect({ status: options.status, allow: options.headers.get('allow') }).toEqual({ status: 200, allow: 'POST' });
    const del = await c.request('DELETE', '/api/me/sessions/revoke-others');
    expect({ status: del.status, allow: del.headers.get('allow'), body: del.body }).toMatchObject({ status: 405, allow: 'POST', body: { error: 'method_not_allowed' } });
    // A real session id still takes DELETE.
    expect((await c.request('OPTIONS', '/api/me/sessions/abc')).headers.get('allow')).toBe('DELETE');
  });

  it('answers a method /api/openapi.json does not take with 405, not 404', async () => {
    const put = await t.app.client().request('PUT', '/api/openapi.json', { json: {} });
    expect({ status: put.status, allow: put.headers.get('allow') }).toEqual({ status: 405, allow: 'HEAD, GET' });
  });

  it('judges trimmed text as sent: only white space is refused, white space around the longest name is refused, a padded name is trimmed', async () => {
    const reset = (account: string) => t.app.client().post('/api/password-reset', { account });
    expect((await reset(' ')).status).toBe(400);
    expect((await reset(`\u000b${'x'.repeat(254)}`)).status).toBe(400);
    expect((await reset(' alice ')).status).toBe(202);
    // Counted as JSON Schema counts: 254 characters outside the Basic Multilingual Plane are 254, not 508.
    expect((await reset('😀'.repeat(254))).status).toBe(202);

    const c = t.app.client();
    await signUpWithKey(c, 'bob');
    const { body: keys } = await c.get<{ id: string }[]>('/api/webauthn/credentials');
    const rename = (name: string) => c.request('PATCH', `/api/webauthn/credentials/${keys[0]!.id}`, { json: { name } });
    expect((await rename('   ')).status).toBe(400);
    expect((await rename(`  ${'k'.repeat(64)}`)).status).toBe(400);
    expect((await rename('  Blue key  ')).body).toMatchObject({ credential: { name: 'Blue key' } });
  });
});
