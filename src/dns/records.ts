import { domainToASCII } from 'node:url';
import type { Prose } from '../prose.js';

/** How many CNAMEs a name may pass through, for the client and the test server alike. */
export const MAX_CNAME_HOPS = 8;

/** The record types presend asks for, and how their answers are held. */
export type RecordType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'PTR' | 'CNAME' | 'NS' | 'SPF';

export type ResourceRecord =
  | { type: 'A' | 'AAAA' | 'PTR' | 'CNAME' | 'NS'; value: string }
  | { type: 'MX'; priority: number; exchange: string }
  /** A TXT record keeps its character-strings apart: joining them is the reader's choice (RFC 7208 §3.3). */
  | { type: 'TXT' | 'SPF'; strings: string[] };

/**
 * Every way a query can end. Only `answer`, `nxdomain` and `nodata` say something
 * about the record; the rest mean "could not check" and must never read as "missing".
 */
export type DnsOutcome =
  /** ttl: the largest TTL of the records, when they came over the wire. */
  | { status: 'answer'; records: ResourceRecord[]; ttl?: number }
  | { status: 'nxdomain' }
  | { status: 'nodata' }
  | { status: 'timeout' | 'servfail' | 'refused' | 'badname' | 'error' | 'offline' | 'budget'; detail: string };

/** One question a run asked, for the report's DNS trace. */
export interface DnsTraceEntry {
  name: string;
  type: string;
  outcome: string;
  ms: number;
  startMs: number;
  source: 'zone' | 'network' | 'cache' | 'offline' | 'budget';
}

export type FailedOutcome = Extract<DnsOutcome, { detail: string }>;

export function couldNotCheck(outcome: DnsOutcome): outcome is FailedOutcome {
  return outcome.status !== 'answer' && outcome.status !== 'nxdomain' && outcome.status !== 'nodata';
}

export function describeOutcome(outcome: DnsOutcome): string {
  switch (outcome.status) {
    case 'answer':
      return outcome.records.map(recordText).join(' | ') || 'empty answer';
    case 'nxdomain':
      return 'NXDOMAIN (the name does not exist)';
    case 'nodata':
      return 'NODATA (the name exists, no record of this type)';
    default:
      return `${outcome.status}: ${outcome.detail}`;
  }
}

const failureZh: Record<FailedOutcome['status'], string> = {
  timeout: '超时，解析器未在时限内应答',
  servfail: '服务器返回 SERVFAIL',
  refused: '服务器拒绝（REFUSED）了查询',
  badname: '不是有效的 DNS 名称',
  error: 'DNS 错误',
  offline: '离线：没有区域文件应答',
  budget: '查询次数预算已用完',
};

/** describeOutcome as report prose: the Chinese names the status and keeps the technical detail (a name, an RCODE) as it is. */
export function outcomeProse(outcome: DnsOutcome): Prose {
  const en = describeOutcome(outcome);
  switch (outcome.status) {
    case 'answer':
      return { en, zh: en === 'empty answer' ? '空应答' : en };
    case 'nxdomain':
      return { en, zh: 'NXDOMAIN（该名称不存在）' };
    case 'nodata':
      return { en, zh: 'NODATA（名称存在，但没有该类型的记录）' };
    case 'offline':
      return { en, zh: `${failureZh.offline} ${outcome.detail.replace(/^no zone answers /, '')}` };
    case 'timeout':
    case 'servfail':
    case 'refused':
    case 'badname':
    case 'budget':
      return { en, zh: failureZh[outcome.status] };
    default:
      return { en, zh: `${failureZh[outcome.status]}（${outcome.detail}）` };
  }
}

export function recordText(record: ResourceRecord): string {
  switch (record.type) {
    case 'MX':
      return `${record.priority} ${record.exchange}`;
    case 'TXT':
    case 'SPF':
      return record.strings.map((s) => JSON.stringify(s)).join(' ');
    default:
      return record.value;
  }
}

export function txtValues(outcome: DnsOutcome): string[] {
  if (outcome.status !== 'answer') return [];
  return outcome.records.flatMap((r) => (r.type === 'TXT' || r.type === 'SPF' ? [r.strings.join('')] : []));
}

export function addressValues(outcome: DnsOutcome): string[] {
  if (outcome.status !== 'answer') return [];
  return outcome.records.flatMap((r) => (r.type === 'A' || r.type === 'AAAA' || r.type === 'PTR' || r.type === 'CNAME' || r.type === 'NS' ? [r.value] : []));
}

export function mxValues(outcome: DnsOutcome): { priority: number; exchange: string }[] {
  if (outcome.status !== 'answer') return [];
  return outcome.records.flatMap((r) => (r.type === 'MX' ? [{ priority: r.priority, exchange: r.exchange }] : []));
}

/** The hosts mail is delivered to: the MX exchanges, without a null MX's "." (RFC 7505). */
export function mxHosts(outcome: DnsOutcome): string[] {
  return mxValues(outcome).map((m) => m.exchange).filter((h) => h !== '' && h !== '.');
}

/** Lower-case, no trailing dot, A-labels: the one spelling a name is compared and cached under. */
export function canonicalName(name: string): string {
  const trimmed = name.trim().replace(/\.$/, '').toLowerCase();
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(trimmed)) return trimmed;
  return domainToASCII(trimmed) || trimmed;
}
