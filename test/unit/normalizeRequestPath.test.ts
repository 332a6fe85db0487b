// The path the access rules judge: every spelling of a path reads as the path the app will
// serve, and what servers resolve differently reads as "ambiguous".
import { describe, expect, it } from 'vitest';
import { normalizeRequestPath } from '../../server/access/rules/normalizeRequestPath.js';

// [target as forwarded, path, query]
const NORMAL: [string, string, string][] = [
  ['/admin', '/admin', ''],
  ['/admin?x=1', '/admin', 'x=1'],
  ['/admin?', '/admin', ''],
  ['/%61dmin', '/admin', ''],
  ['/%41DMIN', '/ADMIN', ''],
  ['//admin', '/admin', ''],
  ['/admin//users///', '/admin/users/', ''],
  ['/./admin', '/admin', ''],
  ['/x/../admin', '/admin', ''],
  ['/../admin', '/admin', ''],
  ['/admin/.', '/admin/', ''],
  ['/admin/x/..', '/admin/', ''],
  ['/admin;x', '/admin', ''],
  ['/admin;jsessionid=1/', '/admin/', ''],
  ['/;x/admin', '/admin', ''],
  ['/x/..;/admin', '/admin', ''],
  ['/public/../admin', '/admin', ''],
  ['/public/%2e%2e/admin', '/admin', ''],
  ['/public/%2E%2E/admin', '/admin', ''],
  ['/public/.%2e/admin', '/admin', ''],
  ['/%2e/', '/', ''],
  ['/%7E', '/~', ''],
  ['/%7e', '/~', ''],
  // Not unreserved: kept encoded, always with upper-case hex, so a rule writes one spelling.
  ['/a%20b', '/a%20b', ''],
  ['/a%3bb', '/a%3Bb', ''],
  ['/a b', '/a%20b', ''],
  ['/caf%c3%a9', '/caf%C3%A9', ''],
  ['/caf\u00c3\u00a9', '/caf%C3%A9', ''],
  ['/static/site.css', '/static/site.css', ''],
  ['/a/.b/..c/...', '/a/.b/..c/...', ''],
  ['/', '/', ''],
  // The query keeps `/` and `\` (no path there), decodes unreserved, reads a lone % as itself.
  ['/x?a=%2f&b=%7e', '/x', 'a=%2F&b=~'],
  ['/x?q=100%', '/x', 'q=100%25'],
  ['/x?debug=1&a=b?c', '/x', 'debug=1&a=b?c'],
];

// [target, why it has no single reading]
const AMBIGUOUS: [string, string][] = [
  ['/public/..%2fadmin', 'encoded_slash'],
  ['/%2F', 'encoded_slash'],
  ['/admin%2fx', 'encoded_slash'],
  ['/%5C', 'encoded_backslash'],
  ['/%5c..%5cadmin', 'encoded_backslash'],
  ['/%00', 'nul'],
  ['/admin\u0000', 'nul'],
  ['/%zz', 'invalid_percent_encoding'],
  ['/%2', 'invalid_percent_encoding'],
  ['/a\\b', 'backslash'],
  ['/public\\..\\admin', 'backslash'],
  ['a/b', 'not_absolute_path'],
  ['', 'not_absolute_path'],
  ['*', 'not_absolute_path'],
  ['http://app.example.com/admin', 'not_absolute_path'],
  ['/admin\tx', 'invalid_character'],
  ['/admin#x', 'fragment'],
  ['/a//../admin', 'dot_segment_after_empty_segment'],
  ['//../admin', 'dot_segment_after_empty_segment'],
];

describe('normalising the forwarded path', () => {
  it.each(NORMAL)('reads %j as path %j, query %j', (target, path, query) => {
    expect(normalizeRequestPath(target)).toEqual({ kind: 'normal', path, query });
  });

  it.each(AMBIGUOUS)('finds no single reading of %j (%s)', (target, reason) => {
    expect(normalizeRequestPath(target)).toMatchObject({ kind: 'ambiguous', reason });
  });

  it('keeps the text as sent with an ambiguous result, split at the first ?', () => {
    expect(normalizeRequestPath('/a%2fb?x=%2F')).toEqual({ kind: 'ambiguous', reason: 'encoded_slash', path: '/a%2fb', query: 'x=%2F' });
  });

  it('gives every spelling of a path the same reading', () => {
    const spellings = ['/admin/users', '//admin/users', '/%61dmin/users', '/x/../admin/./users', '/admin;a/users;b', '/ADMIN/../admin/%75sers'];
    expect(new Set(spellings.map((s) => JSON.stringify(normalizeRequestPath(s))))).toEqual(new Set([JSON.stringify({ kind: 'normal', path: '/admin/users', query: '' })]));
  });
});
