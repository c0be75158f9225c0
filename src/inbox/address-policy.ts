import ipaddr from 'ipaddr.js';

/**
 * Why the inbox may not fetch from this IP address, or null when it may: only public unicast addresses are
 * reached; loopback, private, link-local, carrier-grade NAT, unique-local, multicast, documentation and other
 * reserved ranges are refused (an IPv4 address mapped into IPv6 is judged as the IPv4 address).
 */
export function addressRefusal(address: string): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  if (range === 'unicast') return null;
  return `${address} is a ${RANGE_NAMES[range] ?? `${range} address`}`;
}

const RANGE_NAMES: Record<string, string> = {
  loopback: 'loopback address',
  private: 'private address',
  linkLocal: 'link-local address',
  uniqueLocal: 'unique-local (private) address',
  carrierGradeNat: 'carrier-grade NAT (shared) address',
  unspecified: 'unspecified address',
  multicast: 'multicast address',
  broadcast: 'broadcast address',
  reserved: 'reserved address',
};
