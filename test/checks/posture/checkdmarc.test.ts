/**
 * checkdmarc's own test cases for MTA-STS, TLS-RPT and BIMI (its repository's tests as data:
 * fixtures/conformance/checkdmarc-posture.json) through presend's readers of the same
 * things: the same verdict for every case, or a difference written down here with its
 * reason — and the table of differences is held to exactly the cases that differ, so a
 * difference that goes away or a new one fails the test.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dmarcEnforced, parseBimi, svgTinyPsProblems, logoProblems } from '../../../src/checks/bimi.js';
import { mtaStsLibrary } from '../../../src/checks/mailauth.js';
import { mtaStsRecordId, parseMtaStsPolicy } from '../../../src/checks/mta-sts.js';
import { tlsRptProblem } from '../../../src/checks/tls-rpt.js';

interface Case {
  test: string;
  input?: string;
  mx?: string;
  patterns?: string[];
  checkdmarc: 'valid' | 'invalid';
}
const data = JSON.parse(readFileSync('fixtures/conformance/checkdmarc-posture.json', 'utf8')) as Record<string, Case[] | string>;
const cases = (group: string) => data[group] as Case[];

/** Where presend's verdict is not checkdmarc's, and why. Keyed by group and input. */
const DIFFERENCES: Record<string, { presend: 'valid' | 'invalid'; why: string }> = {
  'mtaStsPolicy version: STSv1\r\nmode: enforce\r\nmax_age: 86400\r\nmx: mail.example.com\r\nbadkey: badvalue\r\n': {
    presend: 'valid',
    why: 'RFC 8461 §3.2 lets a policy carry extension fields (sts-policy-ext-name) and says senders ignore the ones they do not know: the policy works, so presend does not call it invalid',
  },
  'tlsRpt v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com': {
    presend: 'valid',
    why: 'RFC 8460 §3 lists several addresses inside one rua= (comma-separated) and does not forbid a second rua= field; presend reads the first and reports to it as senders do',
  },
  'bimiRecord v=BIMI1; xyz=foo': {
    presend: 'valid',
    why: 'the BIMI draft (draft-brand-indicators-for-message-identification §4.3) has receivers ignore tags they do not know, as DMARC does (RFC 7489 §6.3): a record with one still works',
  },
};

async function verdicts(group: string, c: Case): Promise<'valid' | 'invalid'> {
  switch (group) {
    case 'mtaStsRecord':
      return (await mtaStsRecordId(c.input!).catch(() => false)) ? 'valid' : 'invalid';
    case 'mtaStsPolicy':
      return parseMtaStsPolicy(c.input!).then(
        () => 'valid',
        () => 'invalid',
      );
    case 'mtaStsMx': {
      const sts = await mtaStsLibrary();
      return sts.validateMx(c.mx!, { version: 'STSv1', mode: 'enforce', maxAge: 86400, mx: c.patterns! }).valid ? 'valid' : 'invalid';
    }
    case 'tlsRpt':
      return /^v=TLSRPTv1/i.test(c.input!) && tlsRptProblem(c.input!) === null ? 'valid' : 'invalid';
    case 'bimiRecord':
      return typeof parseBimi(c.input!) === 'string' ? 'invalid' : 'valid';
    case 'bimiLogo':
      return logoProblems(Buffer.from(c.input!)).length === 0 ? 'valid' : 'invalid';
    case 'bimiDmarc':
      return dmarcEnforced(c.input!) ? 'valid' : 'invalid';
  }
  throw new Error(`unknown group ${group}`);
}

const groups = Object.keys(data).filter((k) => Array.isArray(data[k]));
const rows = groups.flatMap((g) => cases(g).map((c) => [`${g}: ${c.test} ${JSON.stringify(c.input ?? `${c.mx} in ${c.patterns?.join(',')}`).slice(0, 70)}`, g, c] as const));

describe("checkdmarc's MTA-STS, TLS-RPT and BIMI cases", () => {
  it.each(rows)('%s', async (_name, group, c) => {
    const expected = DIFFERENCES[`${group} ${c.input}`]?.presend ?? c.checkdmarc;
    expect(await verdicts(group, c)).toBe(expected);
  });

  it('every written difference is a case of the data, and says why', () => {
    const keys = new Set(rows.map(([, g, c]) => `${g} ${c.input}`));
    for (const [key, d] of Object.entries(DIFFERENCES)) {
      expect(keys.has(key), key).toBe(true);
      expect(d.why.length).toBeGreaterThan(40);
    }
  });

  it('svgTinyPsProblems names what checkdmarc names', () => {
    expect(svgTinyPsProblems(cases('bimiLogo').find((c) => c.test === 'testRootXYAttributesCaptured')!.input!)).toContain('the root <svg> has x= or y= attributes');
  });
});
