// The access-rule edges the HTTP table (accessRulesEdges.security.test.ts) and the nginx
// test share: a rules file, and the spellings of a denied path that must not reach the app.

/**
 * docs/access.md's rule for admin pages, a public area, and the rest for anyone signed in,
 * on `host` (app.example.com; localhost behind the test's nginx); hosts for the hostile
 * regex and the query field.
 */
export const edgeRules = (host: string) => `
default_policy: deny
rules:
  - domain: ${host}
    resources: ['^/public/']
    policy: bypass
  - domain: ${host}
    resources: ['^/admin(/|$)']
    policy: deny
  - domain: ${host}
    policy: one_factor
  - domain: slow.example.com
    resources: ['^/(a+)+$']
    policy: bypass
  - domain: query.example.com
    query: ['(^|&)debug=']
    policy: deny
  - domain: query.example.com
    resources: ['^/debug']
    policy: deny
  - domain: query.example.com
    policy: bypass
  - domain: open.example.com
    policy: bypass
`;

/** Spellings of /admin that servers resolve to /admin. */
export const ADMIN_SPELLINGS = ['/admin?x=1', '/%61dmin', '//admin', '/./admin', '/x/../admin', '/admin;x', '/ADMIN/../admin/', '/admin;jsessionid=1/'];
/** Ways out of the public area into /admin. */
export const PUBLIC_ESCAPES = ['/public/../admin', '/public/%2e%2e/admin', '/public/%2E%2E/admin', '/public/..;/admin', '/public/..%2fadmin', '/public/..%2Fadmin'];
/** Paths with no single reading (encoded / or \, NUL, bad percent-encoding, backslash, not starting with /). */
export const AMBIGUOUS = ['/public/%2F..%2Fadmin', '/public/..%5Cadmin', '/public/%00/../../admin', '/public/%zz/../../admin', '/public\\..\\admin', 'public/../admin', 'http://app.example.com/admin', '/public/x//../../admin'];

export const EDGE_RULES = edgeRules('app.example.com');
