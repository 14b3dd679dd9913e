/**
 * Which provider profiles a run uses: `--provider netease|gmail|…|all` (or a config's
 * `provider`), each name a file rules/<name>.yaml, a comma list of names, or a path to a
 * profile of one's own. Adding a provider is adding a YAML file: the list is the folder.
 */
import { readdirSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { domainOf } from '../message/address.js';
import { defaultProfilePath, loadProfile, rulesDir } from './load.js';

/** The profile every run uses unless told otherwise. */
export const DEFAULT_PROVIDER = 'netease';

/** The providers presend ships a profile for: rules/*.yaml except the blocklists. */
export function knownProviders(): string[] {
  return readdirSync(rulesDir)
    .filter((f) => f.endsWith('.yaml') && !['dnsbl.yaml', 'content.yaml', 'posture.yaml'].includes(f))
    .map((f) => f.slice(0, -'.yaml'.length))
    // Code-unit order: the names are file names, and localeCompare's first call sets up an ICU collator (~6 ms of start-up).
    .sort((a, b) => (a === DEFAULT_PROVIDER ? -1 : b === DEFAULT_PROVIDER ? 1 : a < b ? -1 : 1));
}

/** The shipped provider whose own domains hold this address (`ops@163.com` → netease), if any. */
export function providerOfAddress(address: string): string | undefined {
  const domain = domainOf(address);
  return knownProviders().find((name) => loadProfile(defaultProfilePath(name)).domains.includes(domain));
}

/**
 * A provider spec → profile files, in the order given: `gmail`, `netease,gmail`, `all`, or
 * a path (relative paths from `base`, the config's folder or the working directory).
 */
export function profilePathsFor(spec: string, base = process.cwd(), option = '--provider'): string[] {
  const names = spec.split(',').map((s) => s.trim()).filter(Boolean);
  const known = knownProviders();
  if (names.length === 0) throw new UsageError(`${option} ${JSON.stringify(spec)}: name a provider (${known.join(', ')}) or all`);
  const paths = names.flatMap((name) => {
    if (name === 'all') return known.map((p) => defaultProfilePath(p));
    if (/^[a-z0-9-]+$/.test(name)) {
      if (!known.includes(name)) throw new UsageError(`${option} ${name}: no such provider profile (known: ${known.join(', ')}, or all)`);
      return [defaultProfilePath(name)];
    }
    return [isAbsolute(name) ? name : resolve(base, name)];
  });
  return [...new Set(paths)];
}
