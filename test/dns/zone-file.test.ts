import { describe, expect, it } from 'vitest';
import { parseZoneFile, ZoneFileError } from '../../src/dns/zone-file.js';
import { Zone, ZoneSet, zoneFromText } from '../../src/dns/zone.js';

describe('parseZoneFile', () => {
  const zone = parseZoneFile(
    `; comment line
$ORIGIN example.com.
$TTL 1h
@          IN  TXT   "v=spf1 include:_spf.example.com" " -all" ; trailing comment
           IN  MX    10 mx1
mx1        300 IN A  192.0.2.1
mx1        AAAA      2001:db8::1
www        CNAME     @
_dmarc     TXT ( "v=DMARC1; p=reject;"
                 "rua=mailto:d@example.com" )
quoted     TXT "semi;colon \\"quoted\\" \\065 end"
utf8       TXT "发送"
nullmx     MX 0 .
abs.other.test. PTR host.example.com.
$ORIGIN 113.0.203.in-addr.arpa.
5          PTR mail.example.com.
`,
    'test.zone',
  );
  const find = (name: string, type: string) => zone.records.filter((r) => r.name === name && r.record.type === type).map((r) => r.record);

  it('collects every $ORIGIN', () => expect(zone.origins).toEqual(['example.com', '113.0.203.in-addr.arpa']));
  it('keeps the character-strings of a TXT record apart', () => expect(find('example.com', 'TXT')).toEqual([{ type: 'TXT', strings: ['v=spf1 include:_spf.example.com', ' -all'] }]));
  it('gives an owner-less line the previous owner, and qualifies relative RDATA', () => expect(find('example.com', 'MX')).toEqual([{ type: 'MX', priority: 10, exchange: 'mx1.example.com' }]));
  it('reads TTL and class in either order', () => expect(zone.records.find((r) => r.name === 'mx1.example.com' && r.record.type === 'A')?.ttl).toBe(300));
  it('uses $TTL with units', () => expect(zone.records.find((r) => r.record.type === 'AAAA')?.ttl).toBe(3600));
  it('expands @ in RDATA', () => expect(find('www.example.com', 'CNAME')).toEqual([{ type: 'CNAME', value: 'example.com' }]));
  it('joins parenthesised lines', () => expect(find('_dmarc.example.com', 'TXT')).toEqual([{ type: 'TXT', strings: ['v=DMARC1; p=reject;', 'rua=mailto:d@example.com'] }]));
  it('decodes escapes', () => expect(find('quoted.example.com', 'TXT')).toEqual([{ type: 'TXT', strings: ['semi;colon "quoted" A end'] }]));
  it('keeps UTF-8', () => expect(find('utf8.example.com', 'TXT')).toEqual([{ type: 'TXT', strings: ['发送'] }]));
  it('reads a null MX', () => expect(find('nullmx.example.com', 'MX')).toEqual([{ type: 'MX', priority: 0, exchange: '' }]));
  it('keeps absolute names that start with digits', () => expect(find('5.113.0.203.in-addr.arpa', 'PTR')).toEqual([{ type: 'PTR', value: 'mail.example.com' }]));

  it.each([
    ['no $ORIGIN', 'www A 192.0.2.1', /no \$ORIGIN|before \$ORIGIN/],
    ['an unterminated string', '$ORIGIN a.test.\n@ TXT "open', /unterminated/],
    ['an unclosed parenthesis', '$ORIGIN a.test.\n@ TXT ( "a"', /never closed/],
    ['a bad IPv4', '$ORIGIN a.test.\n@ A 300.1.1.1', /not an IPv4/],
    ['an unsupported type', '$ORIGIN a.test.\n@ NAPTR 1 2 3', /not supported/],
    ['$INCLUDE', '$ORIGIN a.test.\n$INCLUDE other.zone', /not supported/],
  ])('rejects %s with file and line', (_n, text, pattern) => {
    expect(() => parseZoneFile(text, 'bad.zone')).toThrow(ZoneFileError);
    expect(() => parseZoneFile(text, 'bad.zone')).toThrow(pattern);
  });
});

describe('Zone lookups', () => {
  const zone = zoneFromText('$ORIGIN z.test.\n@ A 192.0.2.1\nwww CNAME @\na.b.deep TXT "x"\n', 'z');
  it.each([
    ['an answer', 'z.test', 'A', 'answer'],
    ['NODATA for another type', 'z.test', 'MX', 'nodata'],
    ['NXDOMAIN under the origin', 'nope.z.test', 'A', 'nxdomain'],
    ['NODATA for an empty non-terminal', 'b.deep.z.test', 'TXT', 'nodata'],
    ['a CNAME to follow', 'www.z.test', 'A', 'cname'],
  ])('%s', (_n, name, type, status) => expect(zone.lookup(name, type as 'A')?.status).toBe(status));
  it('answers nothing outside its origin', () => expect(zone.lookup('other.test', 'A')).toBeUndefined());
  it('the longest origin wins in a set', () => {
    const set = new ZoneSet([zone, new Zone(['sub.z.test'], [{ name: 'sub.z.test', record: { type: 'A', value: '192.0.2.9' } }])]);
    expect(set.lookup('sub.z.test', 'A')).toEqual({ status: 'answer', records: [{ type: 'A', value: '192.0.2.9' }] });
    expect(set.lookup('x.sub.z.test', 'A')).toEqual({ status: 'nxdomain' });
  });
});
