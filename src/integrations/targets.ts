import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Which hosts an integration may be sent to. A tenant's URL is hostile: it may name
 * this machine, the database, a cloud metadata address or anything on the private
 * network. Only public unicast addresses are allowed, with https, unless the operator
 * sets `PUNCHCARD_ALLOW_PRIVATE_TARGETS=1` (a development switch, read when the plugin
 * is created; a host may pass `allowPrivateTargets` instead).
 */
export const allowPrivateTargets = (env: NodeJS.ProcessEnv = process.env) =>
  env.PUNCHCARD_ALLOW_PRIVATE_TARGETS === '1';

/**
 * Why an address is not public, or null when it is. ipaddr.js names the special
 * ranges; only plain `unicast` passes. IPv6 forms that carry an IPv4 address (mapped,
 * the deprecated compatible `::a.b.c.d`) are judged as that IPv4 address, and the
 * translation prefixes (NAT64, 6to4, Teredo) are refused outright: they route to
 * IPv4 space this check cannot see.
 */
export function nonPublicReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    const embedsIPv4 = v6.parts.slice(0, 6).every((p) => p === 0) && (v6.parts[6] !== 0 || v6.parts[7] > 1);
    if (v6.isIPv4MappedAddress() || embedsIPv4)
      parsed = ipaddr.fromByteArray(v6.toByteArray().slice(12)) as ipaddr.IPv4;
  }
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

/** Host names that always mean this machine or a private network, refused before any lookup. */
const privateNames = /(^|\.)(localhost|local|internal|home\.arpa|localdomain)$/i;

/** The host of a parsed URL without IPv6 brackets (WHATWG has already normalised 0x7f.1, 2130706433, …). */
export const bareHost = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * What is wrong with a target URL before anything is resolved, or null. At save this
 * catches the literal and obvious forms; at delivery the resolved address is checked
 * again (see `outbound.ts`), since a name can point anywhere.
 */
export function targetFault(url: URL, allowPrivate: boolean): string | null {
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return `must be an https:// URL (the scheme ${url.protocol} cannot be delivered to)`;
  if (url.username !== '' || url.password !== '') return 'must not carry credentials (user:password@)';
  if (allowPrivate) return null;
  if (url.protocol !== 'https:') return 'must use https://';
  const host = bareHost(url);
  if (isIP(host)) {
    const reason = nonPublicReason(host);
    return reason ? `must name a public address (${host} is ${reason})` : null;
  }
  if (!host.includes('.') || privateNames.test(host.replace(/\.$/, '')))
    return 'must name a public host (this one is local to a network)';
  return null;
}
