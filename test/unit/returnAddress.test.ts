import { describe, expect, it } from 'vitest';
import { createReturnAddressPolicy } from '../../server/protect/returnAddress.js';

describe('return addresses after sign-in (open-redirect guard)', () => {
  const policy = createReturnAddressPolicy(['app.example.com', '.internal.example.org', 'localhost']);

  it('keeps an https address on an allow-listed host, exactly or under a .domain entry', () => {
    expect(policy.check('https://app.example.com/reports?id=7#top')).toBe('https://app.example.com/reports?id=7#top');
    expect(policy.check('https://wiki.internal.example.org/')).toBe('https://wiki.internal.example.org/');
    expect(policy.check('https://a.b.internal.example.org:8443/x')).toBe('https://a.b.internal.example.org:8443/x');
    expect(policy.check('https://internal.example.org/')).toBe('https://internal.example.org/');
    expect(policy.check('https://APP.Example.COM/')).toBe('https://app.example.com/');
  });

  it('drops hosts outside the list, including look-alikes', () => {
    for (const bad of [
      'https://evil.example/',
      'https://example.com/',
      'https://sub.app.example.com/',
      'https://app.example.com.evil.example/',
      'https://evilinternal.example.org/',
      'https://internal.example.org.evil.example/',
    ]) {
      expect(policy.check(bad), bad).toBeNull();
    }
  });

  it('drops plain http except for localhost, and every other scheme', () => {
    expect(policy.check('http://app.example.com/')).toBeNull();
    expect(policy.check('http://localhost:8080/x')).toBe('http://localhost:8080/x');
    expect(policy.check('javascript:alert(1)//app.example.com')).toBeNull();
    expect(policy.check('data:text/html,<script>alert(1)</script>')).toBeNull();
    expect(policy.check('ftp://app.example.com/')).toBeNull();
  });

  it('drops relative, scheme-relative, credential-carrying and malformed addresses', () => {
    for (const bad of ['/reports', '//evil.example/', 'https://evil.example@app.example.com/', 'https://app.example.com:99999/', 'not a url', '', undefined, null]) {
      expect(policy.check(bad), String(bad)).toBeNull();
    }
    expect(policy.check(`https://app.example.com/${'a'.repeat(2100)}`)).toBeNull();
  });

  it('compares the parsed host, so backslashes and encoded tricks cannot smuggle another host in', () => {
    expect(policy.check('https://evil.example\\@app.example.com/')).toBeNull();
    expect(policy.check('https:/\\evil.example/')).toBeNull();
    expect(policy.check('https://app.example.com%2f.evil.example/')).toBeNull();
  });
});
