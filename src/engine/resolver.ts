/**
 * A target's DNS client, and its warm-up. A single domain check spends its start-up
 * loading the checks and then mailauth; the questions its checks are sure to ask first
 * can leave before that, so their answers travel while the code loads. Only questions the
 * checks ask for these inputs whatever the answers are listed (a test holds each one to a
 * check that asks it), and they go through the target's own client: the trace and the
 * query count are the run's own, the checks' asks become hits in its cache.
 */
import { DnsClient, defaultDnsOptions, isLegalDnsName } from '../dns/client.js';
import type { RecordType } from '../dns/records.js';
import { questionsSent } from '../dns/sending.js';
import { reverseName } from '../dns/reverse.js';
import type { SharedDnsCache } from '../dns/shared-cache.js';
import type { ZoneSet } from '../dns/zone.js';
import { domainOf } from '../message/address.js';
import type { SessionOptions } from './session.js';
import type { Inputs } from './types.js';

export function dnsClientFor(options: SessionOptions, zones?: ZoneSet, shared?: SharedDnsCache): DnsClient {
  return new DnsClient({
    servers: options.servers,
    timeoutMs: options.timeoutMs ?? defaultDnsOptions.timeoutMs,
    tries: options.tries ?? defaultDnsOptions.tries,
    budget: options.budget ?? defaultDnsOptions.budget,
    offline: options.offline,
    ...(zones ? { zones } : {}),
    ...(shared ? { shared } : {}),
  });
}

/**
 * The first questions of a target's checks: the envelope domain's SPF record (spf-record,
 * then mailauth's check_host) and its mail hosts (sender-domain), the From domain's DMARC
 * record (dmarc), the sending IP's PTR (ptr, on the path where the sending server is ours).
 */
export function warmUpQuestions(inputs: Inputs): [string, RecordType][] {
  const questions: [string, RecordType][] = [];
  if (inputs.mailFrom !== '' && inputs.mailFromSource !== 'unknown') {
    const envelope = domainOf(inputs.mailFrom);
    questions.push([envelope, 'TXT'], [envelope, 'SPF'], [envelope, 'MX'], [envelope, 'A'], [envelope, 'AAAA']);
  }
  if (inputs.from) questions.push([`_dmarc.${domainOf(inputs.from)}`, 'TXT']);
  if (inputs.ip !== undefined && inputs.path === 'mx') questions.push([reverseName(inputs.ip), 'PTR']);
  return questions.filter(([name]) => isLegalDnsName(name));
}

/**
 * A client for one target with its first questions on the wire — resolved once they have
 * left, so code loaded next does not hold them back. None when there is nothing to gain or
 * it could differ from the run's own answers: offline, or when zone files answer some names
 * (the session loads those with the checks).
 */
export async function warmedUpClient(options: SessionOptions, inputs: Inputs): Promise<DnsClient | undefined> {
  if (options.offline || options.zoneFiles.length > 0 || options.zones) return undefined;
  const dns = dnsClientFor(options);
  for (const [name, type] of warmUpQuestions(inputs)) void dns.query(name, type);
  await questionsSent();
  return dns;
}
