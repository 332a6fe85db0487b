// Letting people in over HTTP: an administrator made from a seeded invitation, and links.
import { expect } from 'vitest';
import { hashLinkToken } from '../../server/access/linkTokens.js';
import type { InvitationRecord, Storage } from '../../server/storage/port.js';
import type { HttpClient } from './httpClient.js';
import { PASSWORD } from './appFixture.js';
import { registerKey } from './webauthnFlows.js';
import { SoftAuthenticator } from './softAuthenticator.js';

/** Stores an invitation directly (as `keyward invite` would) and returns its token. */
export async function seedInvitation(storage: Storage, now: number, fields: Partial<InvitationRecord> = {}): Promise<string> {
  const token = `seeded-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}-invitation`;
  await storage.invitations.create({ tokenHash: hashLinkToken(token), kind: 'invitation', email: null, groups: [], userId: null, createdBy: null, createdAt: now, expiresAt: now + 3_600_000, ...fields });
  return token;
}

/** The token of a link Keyward answered with (…?invitation=… or …?token=…). */
export const tokenOf = (url: string) => new URL(url).searchParams.get('invitation') ?? new URL(url).searchParams.get('token')!;

/**
 * Signs `username` up through an invitation and registers a key: with ADMIN_USERNAMES naming
 * them, an administrator at aal 2 with a fresh second factor, in any SIGNUP mode but closed.
 */
export async function signUpInvited(c: HttpClient, storage: Storage, now: number, username: string) {
  const invitation = await seedInvitation(storage, now);
  expect((await c.post('/api/accounts', accountWith(invitation, username))).status).toBe(201);
  const key = new SoftAuthenticator(c.origin);
  expect((await registerKey(c, key)).status).toBe(201);
  return { key };
}

export async function invite(admin: HttpClient, body: Record<string, unknown> = {}): Promise<string> {
  const res = await admin.post<{ url: string; expiresAt: string }>('/api/admin/invitations', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return tokenOf(res.body.url);
}

export const accountWith = (invitation: string, username: string, extra: Record<string, unknown> = {}) => ({ username, password: PASSWORD, invitation, ...extra });
