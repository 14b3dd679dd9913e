import { isIP } from '../ip.js';
import type { DnsClient } from '../dns/client.js';
import { addressValues, couldNotCheck, describeOutcome, outcomeProse, txtValues, type DnsOutcome } from '../dns/records.js';
import { inIPv4Range, reversedLabels, unmapIPv4 } from '../dns/reverse.js';
import type { Check, Inputs, Observation } from '../engine/types.js';
import { domainOf } from '../message/address.js';
import { organizationalDomain } from '../message/organization.js';
import type { DnsblList } from '../profile/dnsbl.js';
import { joinProse, verbatim, type Prose } from '../prose.js';
import { joinRoles, roles as roleWords } from './roles.js';

interface Subject {
  subject: string;
  role: Prose;
}

function observe(kind: string, data: Observation['data'], prose: Record<string, Prose>, evidence: Observation['evidence']): Observation {
  const why = kind === 'could-not-check' ? prose.outcome : kind === 'list-unusable' ? prose.reason : undefined;
  if (!why) return { check: 'dnsbl', kind, data, prose, evidence };
  const where = `${String(data.list)} (${String(data.zone)})${data.subject ? ` · ${String(data.subject)}` : ''}`;
  return { check: 'dnsbl', kind, data, prose, evidence, undecided: { en: `${where}: ${why.en}`, zh: `${where}：${why.zh}` } };
}

function isDomainName(name: string | undefined): name is string {
  return !!name && name.includes('.') && isIP(name) === 0 && !name.startsWith('[');
}

const subjectsOf = new WeakMap<Inputs, Subject[]>();

/** The domains a domain list is asked about: envelope, From, HELO, and a draft's link domains (worked out once a target: the memo key reads them too). */
function domainSubjects(inputs: Inputs): Subject[] {
  let subjects = subjectsOf.get(inputs);
  if (!subjects) subjectsOf.set(inputs, (subjects = findDomainSubjects(inputs)));
  return subjects;
}

function findDomainSubjects(inputs: Inputs): Subject[] {
  const roles = new Map<string, Prose[]>();
  const add = (domain: string | undefined, role: Prose) => {
    if (!isDomainName(domain)) return;
    const key = domain.toLowerCase().replace(/\.$/, '');
    roles.set(key, [...(roles.get(key) ?? []), role]);
  };
  if (inputs.mailFrom) add(domainOf(inputs.mailFrom), roleWords.envelope);
  add(domainOf(inputs.from), roleWords.from);
  add(inputs.helo?.trim(), roleWords.helo);
  // Domain lists list registered domains (as SpamAssassin's URIBL lookups assume).
  for (const link of inputs.message?.linkDomains ?? []) add(organizationalDomain(link), roleWords.link);
  return [...roles].map(([subject, r]) => ({ subject, role: joinRoles(r) }));
}

function ipSubjects(inputs: Inputs, list: DnsblList): Subject[] {
  // Through the provider's submission server, the provider's own IPs send: yours is not asked about.
  if (!inputs.ip || inputs.path === 'submission') return [];
  const ip = unmapIPv4(inputs.ip);
  if (isIP(ip) === 6 && !list.ipv6) return [];
  return [{ subject: ip, role: roleWords.sendingIp }];
}

function queryName(subject: string, list: DnsblList): string {
  return list.kind === 'ip' ? `${reversedLabels(subject)}.${list.zone}` : `${subject}.${list.zone}`;
}

/** Why an answer is an error of the list rather than a listing, or null for a listing. */
function errorMeaning(answer: string, list: DnsblList): Prose | null {
  const own = list.errors[answer];
  if (own) return own;
  if (isIP(answer) !== 4) return { en: `answer ${answer} is not an IPv4 address`, zh: `应答 ${answer} 不是 IPv4 地址` };
  if (!inIPv4Range(answer, '127.0.0.0/8')) {
    return { en: `answer ${answer} is outside 127.0.0.0/8: a wildcard or hijacked response`, zh: `应答 ${answer} 不在 127.0.0.0/8 内：是泛解析或被劫持的应答` };
  }
  return list.errorAnswers.find((e) => inIPv4Range(answer, e.range))?.meaning ?? null;
}

/** RFC 5782 §5 test points: an IP list lists 127.0.0.2 and not 127.0.0.1; a domain list lists "test" and not "invalid". */
function testPoints(list: DnsblList): { listed: string; unlisted: string } {
  if (list.kind === 'ip') return { listed: `2.0.0.127.${list.zone}`, unlisted: `1.0.0.127.${list.zone}` };
  return { listed: `${list.testPoint ?? 'test'}.${list.zone}`, unlisted: `invalid.${list.zone}` };
}

function unusableReason(listed: DnsOutcome, unlisted: DnsOutcome, list: DnsblList): Prose | null {
  if (couldNotCheck(listed)) {
    const outcome = outcomeProse(listed);
    return { en: `its test point did not answer (${outcome.en})`, zh: `其测试点未应答（${outcome.zh}）` };
  }
  if (listed.status !== 'answer') {
    return { en: 'it does not list its RFC 5782 test point: the list is gone, renamed, or refusing this resolver', zh: '它没有列入自己的 RFC 5782 测试点：该黑名单已停用、改名，或拒绝此解析器' };
  }
  for (const answer of addressValues(listed)) {
    const meaning = errorMeaning(answer, list);
    if (meaning) return meaning;
  }
  if (unlisted.status === 'answer') {
    return { en: 'it lists the RFC 5782 point that must never be listed: it answers everything, so its answers mean nothing', zh: '它列入了 RFC 5782 规定绝不能列入的测试点：它对一切查询都应答，其应答没有意义' };
  }
  return null;
}

async function checkList(dns: DnsClient, list: DnsblList, subjects: Subject[]): Promise<Observation[]> {
  if (subjects.length === 0) return [];
  const base = { list: list.name, zone: list.zone, listKind: list.kind, delist: list.delist };
  const points = testPoints(list);
  // The probes and the real questions go out together: one round trip for the whole list.
  const [listedProbe, unlistedProbe, ...answers] = await Promise.all([
    dns.query(points.listed, 'A'),
    dns.query(points.unlisted, 'A'),
    ...subjects.map((s) => dns.query(queryName(s.subject, list), 'A')),
  ]);
  const probeEvidence = { probe: { [points.listed]: describeOutcome(listedProbe!), [points.unlisted]: describeOutcome(unlistedProbe!) } };
  const unusable = unusableReason(listedProbe!, unlistedProbe!, list);
  const advice = list.advice ?? verbatim('');
  if (unusable) return [observe('list-unusable', base, { reason: unusable, advice }, probeEvidence)];
  const out = await Promise.all(
    subjects.map(async (s, i): Promise<Observation[]> => {
      const outcome = answers[i]!;
      const query = queryName(s.subject, list);
      if (couldNotCheck(outcome)) return [observe('could-not-check', { ...base, subject: s.subject }, { role: s.role, outcome: outcomeProse(outcome) }, { query })];
      if (outcome.status !== 'answer') return [];
      const codes = addressValues(outcome);
      const errors = codes.map((c) => errorMeaning(c, list)).filter((m): m is Prose => m !== null);
      if (errors.length > 0) return [observe('list-unusable', base, { reason: errors[0]!, advice }, { query, answers: codes, ...probeEvidence })];
      const txt = txtValues(await dns.query(query, 'TXT'));
      return [
        observe(
          'listed',
          { ...base, subject: s.subject, answer: codes.join(', ') },
          { role: s.role, meaning: joinProse(codes.map((c) => list.codes[c] ?? { en: `listed (return code ${c})`, zh: `已列入（返回码 ${c}）` })) },
          { subject: s.subject, query, answers: codes, txt },
        ),
      ];
    }),
  );
  return out.flat();
}

/** IP and domain blocklists, every list and every question at once, each list probed before it is believed. */
export const dnsblCheck: Check = {
  id: 'dnsbl',
  description: 'The IP and the domains are not on DNS blocklists',
  needsDns: true,
  skipReason: () => null,
  // The lists are the session's: the subjects asked about are the key.
  memoKey: (inputs) => JSON.stringify([inputs.path, inputs.ip, domainSubjects(inputs).map((s) => s.subject)]),
  async run({ inputs, dns, data }) {
    const domains = domainSubjects(inputs);
    const perList = await Promise.all(data.dnsbl.map((list) => checkList(dns, list, list.kind === 'ip' ? ipSubjects(inputs, list) : domains)));
    return mergeUnusable(perList.flat());
  },
};

/**
 * Six lists unusable for one reason (a public resolver, no answer) are one observation
 * naming them all, not six: the reader learns the reason once.
 */
function mergeUnusable(observations: Observation[]): Observation[] {
  const groups = new Map<string, Observation[]>();
  const rest: Observation[] = [];
  for (const o of observations) {
    if (o.kind !== 'list-unusable') {
      rest.push(o);
      continue;
    }
    // A reason that differs only by the list's own zone name is the same reason.
    const key = `${withoutZone(o.prose!.reason!.en, o)}\u0000${o.prose!.advice!.en}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  const merged = [...groups.values()].map((group): Observation =>
    group.length === 1
      ? group[0]!
      : observe(
          'list-unusable',
          {
            ...group[0]!.data,
            list: group.map((o) => String(o.data.list)).join(', '),
            zone: group.map((o) => String(o.data.zone)).join(', '),
            lists: group.length,
          },
          { ...group[0]!.prose, reason: { en: withoutZone(group[0]!.prose!.reason!.en, group[0]!), zh: withoutZone(group[0]!.prose!.reason!.zh, group[0]!) } },
          { lists: group.map((o) => ({ list: o.data.list, zone: o.data.zone, ...o.evidence })) },
        ),
  );
  return [...rest, ...merged];
}

/** A reason that names the list's own zone, with the zone named generically. */
function withoutZone(reason: string, o: Observation): string {
  return reason.split(String(o.data.zone)).join('<zone>');
}
