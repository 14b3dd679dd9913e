import { allChecks } from '../../src/checks/index.js';
import type { DnsClient } from '../../src/dns/client.js';
import { loadDnsblLists, selectDnsblLists } from '../../src/profile/dnsbl.js';
import type { Check, Inputs, Observation } from '../../src/engine/types.js';

export function inputs(partial: Partial<Inputs> = {}): Inputs {
  const domain = partial.domain ?? 'example.test';
  const mailFrom = partial.mailFrom ?? `postmaster@${domain}`;
  return {
    kind: 'domain',
    domain,
    mailFrom,
    mailFromSource: 'flag',
    from: partial.from ?? (mailFrom || `postmaster@${domain}`),
    dkimSelectors: [],
    rcpt: [],
    offline: false,
    limits: {},
    bulk: false,
    path: 'mx',
    ...partial,
  };
}

/** Runs one check (and the checks it reads) against a client, as the engine would. */
export async function observe(check: Check, input: Inputs, dns: DnsClient, dnsblZones?: string[]): Promise<Observation[]> {
  const byId = new Map(allChecks.map((c) => [c.id, c]));
  const data = { dnsbl: selectDnsblLists(loadDnsblLists(), dnsblZones) };
  const run = (c: Check): Promise<Observation[]> => {
    if (c.skipReason(input) !== null) return Promise.resolve([]);
    return c.run({ inputs: input, dns, data, observationsOf: (id) => run(byId.get(id)!) });
  };
  return run(check);
}

/** Just the kinds and data, with the prose in English beside the data: what a table row asserts on. */
export function summary(observations: Observation[]): { kind: string; data: Observation['data'] }[] {
  return observations.map((o) => ({ kind: o.kind, data: { ...o.data, ...english(o) } }));
}

/** An observation's prose fields, in English. */
export function english(o: Observation): Record<string, string> {
  return Object.fromEntries(Object.entries(o.prose ?? {}).map(([field, text]) => [field, text.en]));
}
