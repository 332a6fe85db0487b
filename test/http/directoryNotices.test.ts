// A directory person's mail counts as a confirmed address: security notices go to it without
// a confirmation link (the organisation vouches for it).
import { describe, expect, it } from 'vitest';
import type { Env } from '../../server/config.js';
import { storageFactories } from '../helpers/storageFactories.js';
import { enrolDirectoryPerson, useDirectoryApp, useSlapd } from '../helpers/directoryFixture.js';
import { useSmtpSink } from '../helpers/smtpSink.js';
import { PEOPLE } from '../helpers/slapd.js';

const NOTICE = 'A security key was added to your account.';

describe.each(storageFactories)('notices to directory people ($name)', (factory) => {
  const env: Env = {};
  const smtp = useSmtpSink(env);
  const directory = useSlapd();
  const t = useDirectoryApp(factory, directory, env);

  it('mails a security notice to the mail the directory holds', async () => {
    await enrolDirectoryPerson(t.app.client(), 'alice', PEOPLE.find((p) => p.uid === 'alice')!.password);
    const mail = await smtp.waitFor('alice@example.org', (m) => m.raw.includes(NOTICE));
    expect(mail.raw).toContain('Subject: Keyward: security notice');
  });
});
