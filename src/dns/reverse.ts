import { isIP } from '../ip.js';

/** Full 8-group form of an IPv6 address (embedded IPv4 tail included), for nibble reversal. */
export function expandIPv6(address: string): string[] {
  let text = address.toLowerCase().split('%')[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const octets = v4[1]!.split('.').map(Number);
    text = text.slice(0, -v4[1]!.length) + `${((octets[0]! << 8) | octets[1]!).toString(16)}:${((octets[2]! << 8) | octets[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  return [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups].map((g) => g.padStart(4, '0'));
}

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is its IPv4 address for every DNS purpose here. */
export function unmapIPv4(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1]! : ip;
}

/** `203.0.113.5` → `5.113.0.203`; IPv6 → 32 reversed nibbles (RFC 5782 §2.4, RFC 3596). */
export function reversedLabels(rawIp: string): string {
  const ip = unmapIPv4(rawIp);
  if (isIP(ip) === 4) return ip.split('.').reverse().join('.');
  return expandIPv6(ip).join('').split('').reverse().join('.');
}

export function reverseName(ip: string): string {
  return `${reversedLabels(ip)}.${isIP(unmapIPv4(ip)) === 4 ? 'in-addr.arpa' : 'ip6.arpa'}`;
}

export function sameAddress(a: string, b: string): boolean {
  const ua = unmapIPv4(a);
  const ub = unmapIPv4(b);
  if (isIP(ua) !== isIP(ub)) return false;
  return isIP(ua) === 4 ? ua === ub : expandIPv6(ua).join(':') === expandIPv6(ub).join(':');
}

/** Whether an IPv4 address lies in `a.b.c.d/n` (or equals `a.b.c.d`). */
export function inIPv4Range(ip: string, range: string): boolean {
  const [base, bits = '32'] = range.split('/');
  const toInt = (s: string) => s.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return (toInt(ip) & mask) === (toInt(base!) & mask);
}
