// The address a guard bucket counts. An IPv6 subscriber usually gets a whole /64 (often a
// /56 or /48) and picks any address inside it at will, so counting whole IPv6 addresses
// would hand an attacker 2^64 fresh "addresses": IPv6 is counted per network prefix.
// IPv4-mapped IPv6 (::ffff:192.0.2.1, what a dual-stack socket reports) is its IPv4 address.
import ipaddr from 'ipaddr.js';

export function clientNetwork(ip: string, ipv6Prefix: number): string {
  if (!ipaddr.isValid(ip)) return ip;
  const addr = ipaddr.process(ip);
  if (addr.kind() === 'ipv4' || ipv6Prefix >= 128) return addr.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${addr.toString()}/${ipv6Prefix}`).toString()}/${ipv6Prefix}`;
}
