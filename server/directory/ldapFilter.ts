// Search filters from operator-written templates with values escaped per RFC 4515 §3: every
// character that means something in a filter ( * ( ) \ NUL ) is written as \XX, so a
// username such as `*)(uid=*` is looked up as that literal string and matches no one else.

/** `value` escaped for use inside a filter's assertion value. */
export function escapeFilterValue(value: string | Buffer): string {
  if (Buffer.isBuffer(value)) return [...value].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The template with each {name} replaced by the escaped value (unknown names stay). */
export function fillFilter(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? escapeFilterValue(values[name]!) : whole));
}

/**
 * The user filter for any name (`{username}` → presence `*`) and-ed with an equality on the
 * stable id: how a signed-in person is looked up again, even after a rename.
 */
export function byIdFilter(userTemplate: string, idAttribute: string, id: string | Buffer): string {
  return `(&${userTemplate.replace(/\{username\}/g, '*')}(${idAttribute}=${escapeFilterValue(id)}))`;
}
