import ipaddr from 'ipaddr.js'

/**
 * The group of addresses one client can use, for the per-address sign-in limit: an IPv4 address
 * alone (IPv4-mapped IPv6 included), an IPv6 address by its /64, since one host is commonly given
 * a whole /64 and could otherwise rotate through it.
 */
export function addressGroup(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip.toLowerCase()
  const address = ipaddr.parse(ip)
  if (address.kind() === 'ipv4') return address.toString()
  const v6 = address as ipaddr.IPv6
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString()
  const prefix = v6.parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(':')
  return `${prefix}::/64`
}
