import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { fileLimits, readTextFile } from '../files.js';
import { canonicalName, type RecordType, type ResourceRecord } from './records.js';
import { parseZoneFile, ZoneFileError } from './zone-file.js';

export type ZoneAnswer =
  | { status: 'answer'; records: ResourceRecord[] }
  | { status: 'cname'; target: string; records: ResourceRecord[] }
  | { status: 'nxdomain' }
  | { status: 'nodata' };

export interface ZoneEntry {
  name: string;
  record: ResourceRecord;
}

function isUnder(name: string, origin: string): boolean {
  return origin === '' || name === origin || name.endsWith(`.${origin}`);
}

/**
 * Records that answer authoritatively for their origins: a name under an origin
 * that has no records (and no records below it) is NXDOMAIN. Origin '' covers every name.
 */
export class Zone {
  private readonly byName = new Map<string, ResourceRecord[]>();
  /** Names that exist only because something lives below them (empty non-terminals: NODATA, not NXDOMAIN). */
  private readonly ancestors = new Set<string>();

  constructor(
    readonly origins: string[],
    entries: ZoneEntry[],
    readonly source = 'zone',
  ) {
    for (const { name, record } of entries) {
      const key = canonicalName(name);
      const list = this.byName.get(key) ?? [];
      list.push(record);
      this.byName.set(key, list);
      const labels = key.split('.');
      for (let i = 1; i < labels.length; i++) this.ancestors.add(labels.slice(i).join('.'));
    }
  }

  /** The longest origin this zone holds for a name, or undefined when the name is not its business. */
  authorityFor(name: string): string | undefined {
    let best: string | undefined;
    for (const origin of this.origins) {
      if (isUnder(name, origin) && (best === undefined || origin.length > best.length)) best = origin;
    }
    if (best === undefined && this.byName.has(name)) return name;
    return best;
  }

  lookup(rawName: string, type: RecordType): ZoneAnswer | undefined {
    const name = canonicalName(rawName);
    if (this.authorityFor(name) === undefined) return undefined;
    const records = this.byName.get(name);
    if (records && records.length > 0) {
      const matching = records.filter((r) => r.type === type);
      if (matching.length > 0) return { status: 'answer', records: matching };
      const cname = records.find((r) => r.type === 'CNAME');
      if (cname && cname.type === 'CNAME') return { status: 'cname', target: cname.value, records: [cname] };
      return { status: 'nodata' };
    }
    return this.ancestors.has(name) ? { status: 'nodata' } : { status: 'nxdomain' };
  }
}

export function zoneFromText(text: string, file: string): Zone {
  const parsed = parseZoneFile(text, file);
  return new Zone(parsed.origins, parsed.records, file);
}

/** Reads `--zone FILE`: an unreadable or malformed zone is a usage error naming the file and line. */
/** Zone files a folder may give at the most: far above any real set. */
const MAX_ZONE_FILES = 1_000;

/** A --zone path: a zone file, or a folder whose `*.zone` files (not its subfolders) are loaded in name order. */
export function zonePaths(path: string): string[] {
  let folder = false;
  try {
    folder = statSync(path).isDirectory();
  } catch {
    // Not there: loadZoneFile says so.
  }
  if (!folder) return [path];
  const files = readdirSync(path, { withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.zone'))
    .map((d) => join(path, d.name))
    .sort();
  if (files.length === 0) throw new UsageError(`--zone ${path}: a folder with no *.zone file in it`);
  if (files.length > MAX_ZONE_FILES) throw new UsageError(`--zone ${path}: more than ${MAX_ZONE_FILES} zone files`);
  return files;
}

export function loadZoneFile(file: string): Zone {
  const text = readTextFile(file, `--zone ${file}`, fileLimits.zone);
  try {
    return zoneFromText(text, file);
  } catch (err) {
    if (err instanceof ZoneFileError) throw new UsageError(err.message);
    throw err;
  }
}

/** Several zones: the one with the longest matching origin answers. */
export class ZoneSet {
  constructor(readonly zones: Zone[]) {}

  lookup(name: string, type: RecordType): ZoneAnswer | undefined {
    const canonical = canonicalName(name);
    let best: { zone: Zone; origin: string } | undefined;
    for (const zone of this.zones) {
      const origin = zone.authorityFor(canonical);
      if (origin !== undefined && (!best || origin.length > best.origin.length)) best = { zone, origin };
    }
    return best?.zone.lookup(canonical, type);
  }
}
