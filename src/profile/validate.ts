/**
 * The zod validation of profile and blocklist files: the build runs it on every file in
 * rules/ (scripts/compile-profiles.js) and a run loads it only for a file with no matching
 * compiled form (see profile/load.ts). Importing this module registers it with the loaders.
 */
import type { z } from 'zod';
import { UsageError } from '../errors.js';
import { parseYamlStrict } from '../yaml.js';
import { contentFileSchema, type ContentFile } from './content-schema.js';
import { dnsblFileSchema, type DnsblFile } from './dnsbl-schema.js';
import { registerValidators } from './load.js';
import { profileSchema, sharedRulesSchema, type ProfileFile, type SharedRulesFile } from './schema.js';

/** One line naming the file and the field: the contract for a broken profile (exit 2). */
export function describeIssue(file: string, issue: z.core.$ZodIssue, doc: unknown): string {
  const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
  const where = describePathOwner(doc, issue.path);
  return `${file}: ${path.replace(/^\./, '') || '(top level)'}${where}: ${issue.message}`;
}

/** Names the rule or code a path points into, so "rules[12]" reads as the rule's id too. */
function describePathOwner(doc: unknown, path: PropertyKey[]): string {
  const [section, index] = path;
  if ((section !== 'rules' && section !== 'codes') || typeof index !== 'number') return '';
  const entry = (doc as Record<string, unknown[]>)[section]?.[index] as Record<string, unknown> | undefined;
  const name = entry?.id ?? entry?.code;
  return typeof name === 'string' ? ` (${name})` : '';
}

/** A profile's YAML parsed and validated: what the build compiles, and what a run does when nothing compiled matches. */
export function validateProfileText(text: string, file: string): ProfileFile {
  const doc = parseYamlStrict(text, file).value;
  const parsed = profileSchema.safeParse(doc);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new UsageError(first ? describeIssue(file, first, doc) : `${file}: invalid profile`);
  }
  return parsed.data;
}

/** The blocklist file parsed and validated. */
export function validateDnsblText(text: string, file: string): DnsblFile {
  const doc = parseYamlStrict(text, file).value;
  const parsed = dnsblFileSchema.safeParse(doc);
  if (!parsed.success) throw new UsageError(describeIssue(file, parsed.error.issues[0]!, doc));
  return parsed.data;
}

/** The content engine's weights parsed and validated. */
export function validateContentText(text: string, file: string): ContentFile {
  const doc = parseYamlStrict(text, file).value;
  const parsed = contentFileSchema.safeParse(doc);
  if (!parsed.success) throw new UsageError(describeIssue(file, parsed.error.issues[0]!, doc));
  return parsed.data;
}

/** The rules every profile carries alike (rules/posture.yaml), parsed and validated. */
export function validateSharedRulesText(text: string, file: string): SharedRulesFile {
  const doc = parseYamlStrict(text, file).value;
  const parsed = sharedRulesSchema.safeParse(doc);
  if (!parsed.success) throw new UsageError(describeIssue(file, parsed.error.issues[0]!, doc));
  return parsed.data;
}

registerValidators({ profile: validateProfileText, dnsbl: validateDnsblText, content: validateContentText, sharedRules: validateSharedRulesText });
