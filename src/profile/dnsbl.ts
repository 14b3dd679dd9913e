import { join } from 'node:path';
import type { Prose } from '../prose.js';
import { fileLimits, readRegularFile } from '../files.js';
import { readCompiled } from './compiled.js';
import type { DnsblFile, DnsblListData } from './dnsbl-schema.js';
import { rulesDir, validators } from './load.js';

export type DnsblList = DnsblListData & {
  errorAnswers: { range: string; meaning: Prose }[];
};

export function defaultDnsblPath(): string {
  return join(rulesDir, 'dnsbl.yaml');
}

export function loadDnsblLists(file = defaultDnsblPath()): DnsblList[] {
  const bytes = readRegularFile(file, `blocklists ${file}`, fileLimits.profile);
  const data = readCompiled<DnsblFile>(file, rulesDir, bytes) ?? validators().dnsbl(bytes.toString('utf8'), file);
  return data.lists.map((list) => ({
    ...list,
    errorAnswers: [...data.errorAnswers, ...(list.kind === 'domain' ? data.domainErrorAnswers : [])],
  }));
}

/**
 * `--dnsbl zone...` replaces the set: a zone the file knows keeps its codes; an
 * unknown zone is queried as an IP list whose every 127.0.0.x answer counts as a listing.
 */
export function selectDnsblLists(all: DnsblList[], zones: string[] | undefined): DnsblList[] {
  if (!zones) return all.filter((l) => l.default);
  const errorAnswers = all.find((l) => l.kind === 'ip')?.errorAnswers ?? [];
  return zones.map((zone) => {
    const known = all.find((l) => l.zone === zone.toLowerCase());
    if (known) return known;
    return {
      id: zone.toLowerCase(),
      name: zone,
      zone: zone.toLowerCase(),
      kind: 'ip',
      default: false,
      ipv6: true,
      delist: `see the operator of ${zone}`,
      codes: {},
      errors: {},
      errorAnswers,
    } satisfies DnsblList;
  });
}
