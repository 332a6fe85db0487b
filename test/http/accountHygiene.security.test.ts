// Account hygiene: administrators named by ADMIN_USERNAMES are decided per request and
// never written into the account; usernames that mix scripts or look like a taken one are
// refused (atomically, under simultaneous sign-ups); passwords compare in NFC, and a hash
// made from another form still works once and is replaced.
import { describe, expect, it } from 'vitest';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { startTestApp } from '../helpers/testApp.js';
import { freePort } from '../helpers/freePort.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { assertWith, passwordStep, signUpWithKey } from '../helpers/webauthnFlows.js';
import { burst, countStatuses } from '../helpers/burst.js';
import { useTwoInstances } from '../helpers/twoInstances.js';
import { backfillUsernameSkeletons } from '../../server/accounts/backfillUsernameSkeletons.js';

const signUpBody = (username: string) => ({ username, password: PASSWORD });

describe.each(storageFactories)('account hygiene ($name)', (factory) => {
  // Look-alike bursts test the unique skeleton, not the per-address sign-up limit.
  const t = useApp(factory, { ADMIN_USERNAMES: 'boss', RATE_LIMIT_SIGNUP_MAX: '1000' });

  describe('administrators by configuration', () => {
    it('makes the configured name an administrator only while the setting names it', async () => {
      const c = t.app.client();
      const key = new SoftAuthenticator(t.app.origin);
      await signUpWithKey(c, 'boss', key);
      expect((await c.get('/api/session')).body).toMatchObject({ admin: true });
      expect((await t.storage.users.findByUsername('boss'))?.roles).toEqual([]);

      // The same store, without ADMIN_USERNAMES; the key was made for the first app's origin.
      const port = await freePort();
      const restarted = await startTestApp({ storage: t.storage, clock: t.app.clock, port, env: { ORIGINS: `http://localhost:${port},${t.app.origin}` } });
      try {
        const again = restarted.client();
        await passwordStep(again, 'boss');
        expect((await assertWith(again, key)).status).toBe(200);
        const session = (await again.get('/api/session')).body;
        expect(session).toMatchObject({ status: 'authenticated' });
        expect(session).not.toHaveProperty('admin');
        expect((await again.get('/api/admin/users')).status).toBe(403);
      } finally {
        await restarted.close();
      }
    });

    it('refuses a full-width or look-alike copy of the administrator name', async () => {
      await signUpWithKey(t.app.client(), 'boss');
      expect((await t.app.client().post('/api/accounts', signUpBody('ＢＯＳＳ'))).status).toBe(409);
      expect((await t.app.client().post('/api/accounts', signUpBody('BOSS'))).status).toBe(409);
      expect((await t.app.client().post('/api/accounts', signUpBody('bоss'))).status).toBe(400); // Cyrillic о
    });
  });

  describe('usernames', () => {
    it('refuses a username that mixes scripts, with a message that says so', async () => {
      const res = await t.app.client().post<{ error: string; message: string }>('/api/accounts', signUpBody('pаypal'));
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
      expect(res.body.message).toMatch(/mix writing systems/);
      expect((await t.app.client().post('/api/accounts', signUpBody('αlice'))).status).toBe(400); // Greek alpha
    });

    it('accepts one script, and the Chinese, Japanese and Korean combinations with Latin', async () => {
      for (const name of ['алиса', 'Ελένη', '山田たろう', 'taroタロウ', 'kim김철수', 'josé.núñez', 'user@example.org']) {
        expect((await t.app.client().post('/api/accounts', signUpBody(name))).status, name).toBe(201);
      }
    });

    it('refuses a username that looks like a taken one, as an exact duplicate', async () => {
      for (const name of ['ace', 'ice', 'strasse', 'modern', 'coco']) expect((await t.app.client().post('/api/accounts', signUpBody(name))).status).toBe(201);
      // Cyrillic "асе", dotless "ı", "ß" under full case folding, "rn" for "m", Cyrillic "сосо".
      for (const name of ['асе', 'ıce', 'straße', 'rnodern', 'сосо']) {
        const res = await t.app.client().post<{ error: string }>('/api/accounts', signUpBody(name));
        expect([res.status, res.body.error], name).toEqual([409, 'username_taken']);
      }
    });

    it('lets exactly one of many simultaneous look-alike sign-ups win', async () => {
      const names = ['sasha', 'ѕаѕһа', 'SASHA', 'ｓａｓｈａ']; // Latin, Cyrillic, upper case, full width
      const port = Number(new URL(t.app.url).port);
      const requests = Array.from({ length: 24 }, (_, i) => ({
        method: 'POST',
        path: '/api/accounts',
        headers: { Origin: t.app.origin },
        json: signUpBody(names[i % names.length]!),
      }));
      const statuses = countStatuses(await burst(port, requests));
      expect(statuses).toEqual({ 201: 1, 409: 23 });
    });

    it('gives accounts stored before skeletons existed one at start-up, so their look-alikes are refused', async () => {
      const legacy = { id: 'legacy-1', username: 'ace', usernameNormalized: 'ace', usernameSkeleton: null, displayName: 'ace', passwordHash: 'x', roles: [], groups: [], email: null, createdAt: 0, language: null };
      expect(await t.storage.users.create(legacy)).toBe(true);
      expect(await backfillUsernameSkeletons(t.storage.users)).toEqual({ set: 1, notSet: 0 });
      expect((await t.app.client().post('/api/accounts', signUpBody('асе'))).status).toBe(409);
    });
  });

  describe('passwords in Unicode', () => {
    const nfc = 'crème brûlée à la façon'.normalize('NFC');
    const nfd = nfc.normalize('NFD');

    it('signs in with the same password typed in composed or decomposed form', async () => {
      expect((await t.app.client().post('/api/accounts', { username: 'chef', password: nfc })).status).toBe(201);
      expect((await t.app.client().post('/api/session', { username: 'chef', password: nfd })).status).toBe(200);
      expect((await t.app.client().post('/api/accounts', { username: 'cook', password: nfd })).status).toBe(201);
      expect((await t.app.client().post('/api/session', { username: 'cook', password: nfc })).status).toBe(200);
    });

    it('signs in a user whose hash was made from a decomposed password and rehashes it in NFC', async () => {
      expect((await t.app.client().post('/api/accounts', { username: 'legacy', password: nfc })).status).toBe(201);
      const user = (await t.storage.users.findByUsername('legacy'))!;
      // What an earlier version stored: the bytes as typed, not normalised.
      const legacyHash = await argon2Hash(nfd, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
      expect(await t.storage.users.updatePasswordHash(user.id, user.passwordHash, legacyHash)).toBe(true);

      expect((await t.app.client().post('/api/session', { username: 'legacy', password: nfd })).status).toBe(200);
      const rehashed = (await t.storage.users.findById(user.id))!.passwordHash;
      expect(rehashed).not.toBe(legacyHash);
      expect(await argon2Verify(rehashed, nfc)).toBe(true);
      expect((await t.app.client().post('/api/session', { username: 'legacy', password: nfc })).status).toBe(200);
      expect((await t.app.client().post('/api/session', { username: 'legacy', password: 'crème brûlée' })).status).toBe(401);
    });
  });
});

describe('look-alike sign-ups across two instances on one MongoDB database', () => {
  const t = useTwoInstances('hygiene', { RATE_LIMIT_SIGNUP_MAX: '1000' });

  it('lets exactly one of many simultaneous look-alike sign-ups win across instances', async () => {
    const ports = [Number(new URL(t.a.url).port), Number(new URL(t.b.url).port)];
    const names = ['coco', 'сосо', 'ｃｏｃｏ', 'COCO'];
    const requests = Array.from({ length: 24 }, (_, i) => ({
      method: 'POST',
      path: '/api/accounts',
      headers: { Origin: t.a.config.origins[0]! },
      json: signUpBody(names[i % names.length]!),
    }));
    expect(countStatuses(await burst((i) => ports[i % 2]!, requests))).toEqual({ 201: 1, 409: 23 });
  });
});
