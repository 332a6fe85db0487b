import { describe, expect, it } from 'vitest';
import { parseClients } from '../../server/oidc/loadClients.js';
import { retryDelay } from '../../server/oidc/backchannelLogout.js';

const defaults = { mfaRequired: true };

describe('OIDC clients file: logout', () => {
  it('takes back-channel and front-channel logout addresses per client', () => {
    const yaml =
      '- client_id: app\n  redirect_uris: [https://app.example/cb]\n  backchannel_logout_uri: https://app.example/bc\n  backchannel_logout_session_required: true\n' +
      '  frontchannel_logout_uri: https://app.example/fc\n  frontchannel_logout_session_required: false\n- client_id: plain\n  redirect_uris: [https://plain.example/cb]\n';
    const [app, plain] = parseClients(yaml, 'clients.yaml', defaults);
    expect(app).toMatchObject({
      backchannel_logout_uri: 'https://app.example/bc',
      backchannel_logout_session_required: true,
      frontchannel_logout_uri: 'https://app.example/fc',
      frontchannel_logout_session_required: false,
    });
    expect(plain).not.toHaveProperty('backchannel_logout_uri');
    expect(plain).not.toHaveProperty('frontchannel_logout_uri');
  });

  it('refuses a logout address that is not an http(s) URL without a fragment', () => {
    const bad = (field: string, value: string) => () => parseClients(`- client_id: a\n  redirect_uris: [https://a.example/cb]\n  ${field}: ${value}\n`, 'clients.yaml', defaults);
    expect(bad('backchannel_logout_uri', 'javascript:alert(1)')).toThrow(/backchannel_logout_uri/);
    expect(bad('backchannel_logout_uri', 'https://a.example/bc#x')).toThrow(/fragment/);
    expect(bad('frontchannel_logout_uri', 'not a url')).toThrow(/frontchannel_logout_uri/);
    expect(bad('backchannel_logout_session_required', 'maybe')).toThrow(/backchannel_logout_session_required/);
  });
});

describe('back-channel logout retries', () => {
  it('waits longer after each failure, at most an hour', () => {
    const delays = [1, 2, 3, 4, 10, 29].map(retryDelay);
    expect(delays.slice(0, 4)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(delays[4]).toBe(3600_000);
    expect(delays[5]).toBe(3600_000);
  });
});
