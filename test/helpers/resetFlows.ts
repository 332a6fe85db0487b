// A forgotten password over HTTP: a confirmed notice address (set directly in the store: its
// own link is tested elsewhere), the request, the mailed link, and the two steps after it.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { newLinkToken } from '../../server/access/linkTokens.js';
import type { Storage } from '../../server/storage/port.js';
import type { HttpClient } from './httpClient.js';
import type { SentMail, SmtpSink } from './smtpSink.js';

export async function confirmAddress(storage: Storage, username: string, address: string, now: number): Promise<void> {
  const user = await storage.users.findByUsername(username);
  await storage.noticeAddresses.setConfirmed({ userId: user!.id, address, confirmedAt: now });
}

export const isResetMail = (m: SentMail) => m.raw.includes('/reset-password?token=');

/** The link in a password-reset mail. */
export function resetLinkIn(mail: SentMail): URL {
  const m = /(https?:\/\/\S+\/reset-password\?token=[\w%-]+)/.exec(mail.raw);
  if (!m) throw new Error('no reset link in the mail');
  return new URL(m[1]!);
}

/** Asks for a link for `account` and returns the token of the mail it brings to `address`. */
export async function requestReset(c: HttpClient, smtp: SmtpSink, account: string, address: string): Promise<string> {
  const before = smtp.mails.filter(isResetMail).length;
  const res = await c.post('/api/password-reset', { account });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const mail = await smtp.waitFor(address, (m) => isResetMail(m) && smtp.mails.filter(isResetMail).indexOf(m) >= before);
  return resetLinkIn(mail).searchParams.get('token')!;
}

/** Stores a password-reset link for `userId` directly (as a mailed one is stored) and returns its token. */
export async function seedResetLink(storage: Storage, userId: string, now: number): Promise<string> {
  const { token, hash } = newLinkToken({ bytes: (n: number) => randomBytes(n) });
  await storage.invitations.create({ tokenHash: hash, kind: 'password_reset', email: null, groups: [], userId, createdBy: null, createdAt: now, expiresAt: now + 900_000 });
  return token;
}
