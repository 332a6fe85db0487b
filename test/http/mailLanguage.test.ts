// Mails in the person's language (issue 24): the page language they last used (the
// keyward_lang cookie the pages write) is stored with the account, and the address
// confirmation, security notices and reset link are written in it, from a real SMTP exchange.
import { describe, expect, it } from 'vitest';
import type { Env } from '../../server/config.js';
import { storageFactories } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import type { HttpClient } from '../helpers/httpClient.js';
import { useSmtpSink, type SentMail } from '../helpers/smtpSink.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { assertWith, passwordStep, registerKey, signUpWithKey } from '../helpers/webauthnFlows.js';
import { confirmAddress, isResetMail } from '../helpers/resetFlows.js';
import { signUpWithPasskey } from '../helpers/passkeyFlows.js';

const ADDED_DE = 'Ihrem Konto wurde ein Sicherheitsschlüssel hinzugefügt.';
const ADDED_EN = 'A security key was added to your account.';

describe.each(storageFactories)('mail language ($name)', (factory) => {
  const env: Env = {};
  const smtp = useSmtpSink(env);
  const t = useApp(factory, env);

  const speaking = (c: HttpClient, lang: string) => c.cookies.set('keyward_lang', lang);
  const storedLanguage = async (username: string) => (await t.storage.users.findByUsername(username))!.language;
  const mailsTo = (to: string, test: (m: SentMail) => boolean) => smtp.mails.filter((m) => m.to === to && test(m));

  /** A reset link asked for by someone else (another language in their browser): the account's language counts. */
  async function resetMailFor(username: string, to: string): Promise<SentMail> {
    const before = mailsTo(to, isResetMail).length;
    const stranger = t.app.client();
    speaking(stranger, 'fr');
    expect((await stranger.post('/api/password-reset', { account: username })).status).toBe(202);
    return smtp.waitFor(to, (m) => isResetMail(m) && mailsTo(to, isResetMail).indexOf(m) >= before);
  }

  async function noticeMailAfterNewKey(c: HttpClient, to: string): Promise<SentMail> {
    const before = mailsTo(to, () => true).length;
    expect((await registerKey(c, new SoftAuthenticator(t.app.origin))).status).toBe(201);
    return smtp.waitFor(to, (m) => !isResetMail(m) && !m.raw.includes('/confirm-email?') && mailsTo(to, () => true).indexOf(m) >= before);
  }

  it('writes the confirmation, the notices and the reset link in German to a person whose pages were German', async () => {
    const c = t.app.client();
    speaking(c, 'de');
    await signUpWithKey(c, 'greta');
    expect(await storedLanguage('greta')).toBe('de');

    expect((await c.post('/api/me/email', { email: 'greta@mail.test' })).status).toBe(202);
    const confirmation = await smtp.waitFor('greta@mail.test');
    expect(confirmation.subject).toBe('Keyward: Bestätigen Sie Ihre Adresse für Sicherheitshinweise');
    expect(confirmation.text).toContain('Öffnen Sie diesen Link, um Sicherheitshinweise von Keyward an diese Adresse zu erhalten');
    const token = smtp.linkIn(confirmation).searchParams.get('token');
    expect((await c.post('/api/me/email/confirm', { token })).status).toBe(200);

    const notice = await noticeMailAfterNewKey(c, 'greta@mail.test');
    expect(notice.subject).toBe('Keyward: Sicherheitshinweis');
    expect(notice.text).toContain(`Hallo greta,\n\n${ADDED_DE}`);

    const reset = await resetMailFor('greta', 'greta@mail.test');
    expect(reset.subject).toBe('Keyward: Passwort zurücksetzen');
    expect(reset.text).toContain('das Passwort Ihres Keyward-Kontos „greta“ zurückzusetzen');
    // The notice list keeps its English text (the pages word each notice by its type).
    const listed = (await c.get<{ type: string; message: string }[]>('/api/me/notices')).body;
    expect(listed[0]).toMatchObject({ type: 'factor.added', message: ADDED_EN });
  });

  it('writes them in English to a person whose pages were English, and to one who never chose', async () => {
    for (const [username, lang] of [['edgar', 'en'], ['nora', null]] as const) {
      const c = t.app.client();
      if (lang) speaking(c, lang);
      await signUpWithKey(c, username);
      expect(await storedLanguage(username)).toBe(lang);
      const to = `${username}@mail.test`;
      expect((await c.post('/api/me/email', { email: to })).status).toBe(202);
      const confirmation = await smtp.waitFor(to);
      expect(confirmation.subject).toBe('Keyward: confirm your address for security notices');
      expect((await c.post('/api/me/email/confirm', { token: smtp.linkIn(confirmation).searchParams.get('token') })).status).toBe(200);
      const notice = await noticeMailAfterNewKey(c, to);
      expect(notice.subject).toBe('Keyward: security notice');
      expect(notice.text).toContain(`Hello ${username},\n\n${ADDED_EN}`);
      const reset = await resetMailFor(username, to);
      expect(reset.subject).toBe('Keyward: reset your password');
      expect(reset.text).toContain(`Someone asked to reset the password of your Keyward account "${username}"`);
    }
  });

  it('follows the language last used: switched in the pages, or on another device', async () => {
    const c = t.app.client();
    speaking(c, 'de');
    const { key } = await signUpWithKey(c, 'lena');
    await confirmAddress(t.storage, 'lena', 'lena@mail.test', t.app.clock.now());
    expect((await noticeMailAfterNewKey(c, 'lena@mail.test')).text).toContain(ADDED_DE);

    // The pages switched to English: the next call of this session says so.
    speaking(c, 'en');
    expect((await c.get('/api/session')).status).toBe(200);
    expect(await storedLanguage('lena')).toBe('en');
    expect((await noticeMailAfterNewKey(c, 'lena@mail.test')).text).toContain(ADDED_EN);
    expect((await resetMailFor('lena', 'lena@mail.test')).subject).toBe('Keyward: reset your password');

    // Back to German on the same device (a minute on: one reset mail a minute per account).
    speaking(c, 'de');
    await c.get('/api/me/notices');
    expect(await storedLanguage('lena')).toBe('de');
    t.app.clock.advance(61_000);
    expect((await resetMailFor('lena', 'lena@mail.test')).subject).toBe('Keyward: Passwort zurücksetzen');

    // Signed in on a second device in English; the first (still German) already stored its
    // language once, so it looks again only at its session's next minutely touch.
    await c.get('/api/session');
    const other = t.app.client();
    speaking(other, 'en');
    await passwordStep(other, 'lena');
    expect((await assertWith(other, key)).status).toBe(200);
    expect(await storedLanguage('lena')).toBe('en');
    await c.get('/api/session');
    expect(await storedLanguage('lena')).toBe('en');
    t.app.clock.advance(61_000);
    await c.get('/api/session');
    expect(await storedLanguage('lena')).toBe('de');
  });

  it('takes the browser\'s language when the person never chose one, as the pages do; a choice wins over it', async () => {
    const c = t.app.client();
    c.headers['Accept-Language'] = 'fr-CH, de;q=0.9, en;q=0.8';
    await signUpWithKey(c, 'jonas');
    expect(await storedLanguage('jonas')).toBe('de');
    speaking(c, 'en');
    await c.get('/api/session');
    expect(await storedLanguage('jonas')).toBe('en');
  });

  it('ignores a language the pages do not speak, and the forward-auth checks', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'omar');
    expect(await storedLanguage('omar')).toBeNull();
    for (const lang of ['fr', 'DE', 'de-DE', '']) {
      speaking(c, lang);
      await c.get('/api/session');
    }
    expect(await storedLanguage('omar')).toBeNull();

    // Nor does a browser whose languages are none of Keyward's (the pages are then English by default).
    c.cookies.delete('keyward_lang');
    await c.get('/api/session', { headers: { 'Accept-Language': 'fr-FR, it;q=0.8' } });
    expect(await storedLanguage('omar')).toBeNull();

    speaking(c, 'de');
    for (const path of ['/api/authz', '/api/whoami']) await c.get(path, { headers: { 'X-Forwarded-Host': 'app.example', 'X-Forwarded-Uri': '/' } });
    expect(await storedLanguage('omar')).toBeNull();
    await c.get('/api/session');
    expect(await storedLanguage('omar')).toBe('de');
  });
});

describe.each(storageFactories)('the reset mail with passwords switched off ($name)', (factory) => {
  const env: Env = { PASSWORDS: 'off' };
  const smtp = useSmtpSink(env);
  const t = useApp(factory, env);

  it('offers a new passkey, not a new password, in the language of the account', async () => {
    for (const [username, lang, subject] of [
      ['petra', 'de', 'Keyward: mit einem neuen Passkey wieder anmelden'],
      ['paul', 'en', 'Keyward: sign in again with a new passkey'],
    ] as const) {
      const c = t.app.client();
      c.cookies.set('keyward_lang', lang);
      await signUpWithPasskey(c, username);
      await confirmAddress(t.storage, username, `${username}@mail.test`, t.app.clock.now());
      expect((await t.app.client().post('/api/password-reset', { account: username })).status).toBe(202);
      const mail = await smtp.waitFor(`${username}@mail.test`, isResetMail);
      expect(mail.subject).toBe(subject);
      expect(mail.text).toContain(lang === 'de' ? 'um einen neuen Passkey hinzuzufügen' : 'to add a new passkey');
    }
  });
});
