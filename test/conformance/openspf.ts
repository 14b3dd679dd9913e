import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { Zone, ZoneSet, type ZoneEntry } from '../../src/dns/zone.js';
import type { ResourceRecord } from '../../src/dns/records.js';

/** One OpenSPF scenario: its DNS data as a zone (with the names that time out) and its tests. */
export interface Scenario {
  description: string;
  zones: ZoneSet;
  /** Whether a question times out: a TIMEOUT name answers the types it lists and times out for the rest (as pyspf's driver does). */
  timesOut: (name: string, type: string) => boolean;
  tests: { name: string; helo: string; host: string; mailfrom: string; result: string[]; spec: string }[];
}

type ZoneValue = string | number | (string | number)[];

/**
 * The suite's convention: an SPF entry is served as type SPF, and also as TXT ("auto-magic
 * duplication") unless the name lists TXT data of its own — the "Record lookup" tests rely on it.
 */
function toRecords(type: string, value: ZoneValue, hasTxt: boolean): ResourceRecord[] {
  switch (type) {
    case 'SPF':
    case 'TXT': {
      if (value === 'NONE') return [];
      const strings = (Array.isArray(value) ? value : [value]).map(String);
      if (type === 'TXT') return [{ type: 'TXT', strings }];
      return hasTxt ? [{ type: 'SPF', strings }] : [{ type: 'SPF', strings }, { type: 'TXT', strings }];
    }
    case 'A':
    case 'AAAA':
    case 'PTR':
    case 'CNAME':
      return [{ type, value: String(value) }];
    case 'MX': {
      const [priority, exchange] = value as [number, string];
      return [{ type: 'MX', priority: Number(priority), exchange: String(exchange) }];
    }
    default:
      throw new Error(`unsupported zonedata type ${type}`);
  }
}

export function loadSuite(file: string): Scenario[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    const data = doc.toJS() as {
      description: string;
      tests: Record<string, { helo: string; host: string; mailfrom: string; result: string | string[]; spec: string }>;
      zonedata: Record<string, (Record<string, ZoneValue> | string)[]>;
    };
    const entries: ZoneEntry[] = [];
    const timeouts = new Set<string>();
    const listed = new Map<string, Set<string>>();
    for (const [rawName, items] of Object.entries(data.zonedata ?? {})) {
      const name = rawName.toLowerCase().replace(/\.$/, '');
      const hasTxt = (items ?? []).some((item) => typeof item === 'object' && 'TXT' in item);
      for (const item of items ?? []) {
        if (item === 'TIMEOUT') {
          timeouts.add(name);
          continue;
        }
        for (const [type, value] of Object.entries(item)) {
          if (type === 'TIMEOUT') timeouts.add(name);
          for (const record of type === 'TIMEOUT' ? [] : toRecords(type, value, hasTxt)) {
            entries.push({ name, record });
            listed.set(name, (listed.get(name) ?? new Set()).add(record.type));
          }
        }
      }
    }
    return {
      description: data.description,
      // Origin '' answers for every name: what the suite does not list does not exist.
      zones: new ZoneSet([new Zone([''], entries, data.description)]),
      timesOut: (name, type) => timeouts.has(name) && !listed.get(name)?.has(type),
      tests: Object.entries(data.tests).map(([name, t]) => ({ name, helo: String(t.helo ?? ''), host: String(t.host), mailfrom: String(t.mailfrom ?? ''), result: Array.isArray(t.result) ? t.result : [t.result], spec: String(t.spec) })),
    };
  });
}
