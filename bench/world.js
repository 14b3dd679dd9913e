// The benchmark's DNS world: a domain whose SPF tree is as wide and deep as RFC 7208's
// 10-lookup limit allows, DMARC, a PTR, and eight blocklists — all in zone-file text.
import { reversedLabels } from '../dist/dns/reverse.js';

export const IP = '192.0.2.200';
export const DOMAIN = 'bench.example';
export const LISTS = ['zen.spamhaus.org', 'bl.spamcop.net', 'b.barracudacentral.org', 'bl.mailspike.net', 'psbl.surriel.com', 'dnsbl.one.test', 'dnsbl.two.test', 'dnsbl.three.test'];

/**
 * The longest chain of dependent lookups a checker must wait for, by construction:
 * TXT bench.example → TXT i1.bench.example → TXT n1.bench.example (SPF include nesting),
 * and as long: TXT bench.example → MX bench.example → A mx.bench.example (the mx mechanism),
 * PTR → A (forward-confirmed reverse DNS), A → TXT at a list that lists the IP.
 */
export const LONGEST_CHAIN = 3;

export function zoneTexts() {
  const includes = [1, 2, 3, 4].map((i) => `i${i}     TXT "v=spf1 include:n${i}.bench.example -all"\nn${i}     TXT "v=spf1 ip4:198.51.${100 + i}.0/24 -all"`).join('\n');
  const bench = `$ORIGIN bench.example.
$TTL 300
@      TXT "v=spf1 include:i1.bench.example include:i2.bench.example include:i3.bench.example include:i4.bench.example a mx -all"
${includes}
@      A    198.51.100.250
@      MX   10 mx.bench.example.
mx     A    ${IP}
mail   A    ${IP}
_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@bench.example"
`;
  const reverse = `$ORIGIN ${reversedLabels(IP).split('.').slice(1).join('.')}.in-addr.arpa.\n${reversedLabels(IP).split('.')[0]} PTR mail.bench.example.\n`;
  const lists = LISTS.map((zone, i) => `$ORIGIN ${zone}.\n2.0.0.127 A 127.0.0.2\n${i === 1 ? `${reversedLabels(IP)} A 127.0.0.2\n${reversedLabels(IP)} TXT "listed for the benchmark"\n` : ''}`).join('');
  const dbl = `$ORIGIN dbl.spamhaus.org.\ndbltest.com A 127.0.1.2\n`;
  return [bench, reverse, lists, dbl];
}
