import { describe, expect, it } from 'vitest';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';

describe('return address after sign-in', () => {
  const t = useApp(embeddedFactory, { AUTHZ_RETURN_DOMAINS: 'app.example.com,.example.org,localhost' });

  it('confirms addresses on the allow-list and refuses every other one', async () => {
    const ask = async (rd: string) => (await t.app.client().get<{ rd: string | null }>(`/api/authz/return?rd=${encodeURIComponent(rd)}`)).body.rd;
    expect(await ask('https://app.example.com/reports?q=1')).toBe('https://app.example.com/reports?q=1');
    expect(await ask('https://wiki.example.org/')).toBe('https://wiki.example.org/');
    expect(await ask('http://localhost:8080/x')).toBe('http://localhost:8080/x');
    for (const bad of ['https://evil.example/', 'http://app.example.com/', 'https://app.example.com.evil.example/', 'javascript:alert(1)', '//evil.example/', 'https://user@app.example.com/']) {
      expect(await ask(bad), bad).toBeNull();
    }
    expect((await t.app.client().get('/api/authz/return')).body).toEqual({ rd: null });
  });
});
