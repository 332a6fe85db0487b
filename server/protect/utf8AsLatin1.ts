// HTTP header values and Node's one-write answers are bytes written as Latin-1 strings.
// Writing UTF-8 bytes one per character puts UTF-8 on the wire (as proxies pass it on and
// as other forward-auth servers send non-ASCII names). ASCII, the usual case on every
// forward-auth check, is the same in both and is returned as it is, without a copy.
const NON_ASCII = /[\u0080-\uffff]/;

export const utf8AsLatin1 = (s: string): string => (NON_ASCII.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s);
