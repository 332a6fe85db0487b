// Where a person may be sent back after signing in. A return address that is not checked
// turns the sign-in page into an open redirect (a phishing link that starts on our domain),
// so only https addresses on an allow-listed host pass (http only for localhost, as in
// development).

export interface ReturnAddressPolicy {
  /** The address when it is safe to send a person to, else null. */
  check(candidate: string | undefined | null): string | null;
}

const MAX_LENGTH = 2048;
const LOCAL = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `domains`: exact host names, or ".example.com" for example.com and every subdomain. */
export function createReturnAddressPolicy(domains: string[]): ReturnAddressPolicy {
  const exact = new Set(domains.filter((d) => !d.startsWith('.')).map((d) => d.toLowerCase()));
  const suffixes = domains.filter((d) => d.startsWith('.')).map((d) => d.toLowerCase());

  const hostAllowed = (host: string) =>
    exact.has(host) || suffixes.some((s) => host.endsWith(s) || host === s.slice(1));

  return {
    check(candidate) {
      if (!candidate || candidate.length > MAX_LENGTH) return null;
      let url: URL;
      try {
        // No base: a relative or scheme-relative ("//evil.example") address is refused.
        url = new URL(candidate);
      } catch {
        return null;
      }
      const schemeOk = url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL.has(url.hostname));
      // The WHATWG parser already lower-cases and punycodes the host, so comparisons are exact.
      if (!schemeOk || url.username || url.password || !hostAllowed(url.hostname)) return null;
      return url.href;
    },
  };
}
