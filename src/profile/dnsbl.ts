import { join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { Prose } from '../prose.js';
import { fileLimits, readTextFile } from '../files.js';
import { parseYamlStrict } from '../yaml.js';
import { readCompiled } from './compiled.js';
import { describeIssue, rulesDir } from './load.js';

const ipv4 = z.string().regex(/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/, 'an answer in 127.0.0.0/8');
const cidr = z.string().regex(/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}(\/\d{1,2})?$/, 'an address or CIDR range in 127.0.0.0/8');

/** A meaning or advice, in every report language. */
const text = z.object({ en: z.string().min(1), zh: z.string().min(1) }).strict();

const listSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(1),
    zone: z.string().min(3),
    kind: z.enum(['ip', 'domain']),
    default: z.boolean(),
    ipv6: z.boolean().default(false),
    delist: z.string().min(1),
    /** Return code → what the listing means. */
    codes: z.record(ipv4, text),
    /** Return codes that are errors of the list (not listings) → why. */
    errors: z.record(ipv4, text).default({}),
    /** A domain list's own listed test point when it is not RFC 5782's "test". */
    testPoint: z.string().optional(),
    /** What to do when the list refuses this resolver. */
    advice: text.optional(),
  })
  .strict();

const fileSchema = z
  .object({
    /** Answers that are never listings on any list (RFC 5782 and operators' error codes). */
    errorAnswers: z.array(z.object({ range: cidr, meaning: text }).strict()),
    /** Extra error answers on domain lists. */
    domainErrorAnswers: z.array(z.object({ range: cidr, meaning: text }).strict()).default([]),
    lists: z.array(listSchema).min(1),
  })
  .strict();

export type DnsblList = z.infer<typeof listSchema> & {
  errorAnswers: { range: string; meaning: Prose }[];
};

export function defaultDnsblPath(): string {
  return join(rulesDir, 'dnsbl.yaml');
}

type DnsblFile = z.infer<typeof fileSchema>;

/** The blocklist file parsed and validated (the build compiles it; see profile/compiled.ts). */
export function validateDnsblText(text: string, file: string): DnsblFile {
  const doc = parseYamlStrict(text, file).value;
  const parsed = fileSchema.safeParse(doc);
  if (!parsed.success) throw new UsageError(describeIssue(file, parsed.error.issues[0]!, doc));
  return parsed.data;
}

export function loadDnsblLists(file = defaultDnsblPath()): DnsblList[] {
  const text = readTextFile(file, `blocklists ${file}`, fileLimits.profile);
  const data = readCompiled<DnsblFile>(file, rulesDir, text) ?? validateDnsblText(text, file);
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
