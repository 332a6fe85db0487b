// The LDAP Password Modify extended operation (RFC 3062): its OID and request value, a BER
// SEQUENCE of [0] userIdentity, [1] oldPasswd, [2] newPasswd (all OCTET STRINGs).
export const PASSWORD_MODIFY_OID = '1.3.6.1.4.1.4203.1.11.1';

function berLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), berLength(body.length), body]);

export function passwordModifyRequest(input: { dn: string; oldPassword: string; newPassword: string }): Buffer {
  return tlv(
    0x30,
    Buffer.concat([
      tlv(0x80, Buffer.from(input.dn, 'utf8')),
      tlv(0x81, Buffer.from(input.oldPassword, 'utf8')),
      tlv(0x82, Buffer.from(input.newPassword, 'utf8')),
    ]),
  );
}
