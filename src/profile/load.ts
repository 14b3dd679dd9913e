import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { UsageError } from '../errors.js';
import { fileLimits, readTextFile } from '../files.js';
import { parseYamlStrict } from '../yaml.js';
import { readCompiled } from './compiled.js';
import { profileSchema, type CodeEntry, type ProfileFile, type ProfileRule, type Side } from './schema.js';

export interface Profile extends ProfileFile {
  file: string;
  /** Rule ids that predict each code, derived from the rules (so they can never disagree). */
  predictedBy: Map<string, string[]>;
  codeByText: Map<string, CodeEntry>;
  /** Dialogue stages at which the sink gives each code. */
  simulatedBy: Map<string, string[]>;
  /** The host marks compiled: which side of the provider a reply came from. */
  hostMarks: { pattern: RegExp; side: Side }[];
  /** What shows a reply came from this provider at all: its `marks`, and its `hosts` patterns. */
  providerMarks: RegExp[];
}

export const rulesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'rules');

export function defaultProfilePath(provider = 'netease'): string {
  return join(rulesDir, `${provider}.yaml`);
}

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

export function loadProfile(file = defaultProfilePath()): Profile {
  const text = readTextFile(file, `profile ${file}`, fileLimits.profile);
  const data = readCompiled<ProfileFile>(file, rulesDir, text) ?? validateProfileText(text, file);
  // The provider's own domains are a list too, so rules can ask whether an address is the provider's.
  return crossCheck(file, { ...data, lists: { ...data.lists, domains: data.domains } });
}

/** What the schema cannot say: references between sections. */
function crossCheck(file: string, data: ProfileFile): Profile {
  const codeByText = new Map<string, CodeEntry>();
  data.codes.forEach((entry, i) => {
    if (codeByText.has(entry.code)) throw new UsageError(`${file}: codes[${i}].code: "${entry.code}" is listed twice`);
    if (!entry.code.includes(entry.token)) throw new UsageError(`${file}: codes[${i}].token: "${entry.token}" is not part of "${entry.code}"`);
    codeByText.set(entry.code, entry);
  });
  const predictedBy = new Map<string, string[]>();
  const ids = new Set<string>();
  data.rules.forEach((rule: ProfileRule, i) => {
    if (ids.has(rule.id)) throw new UsageError(`${file}: rules[${i}].id: "${rule.id}" is used twice`);
    ids.add(rule.id);
    if (rule.code !== undefined && !codeByText.has(rule.code)) {
      throw new UsageError(`${file}: rules[${i}].code (${rule.id}): "${rule.code}" is not in codes`);
    }
    for (const [field, condition] of Object.entries(rule.when)) {
      for (const list of listReferences(condition)) {
        if (!data.lists[list]) throw new UsageError(`${file}: rules[${i}].when.${field} (${rule.id}): list "${list}" is not in lists`);
      }
      for (const limitName of limitReferences(condition)) {
        if (!data.limits[limitName]) throw new UsageError(`${file}: rules[${i}].when.${field} (${rule.id}): limit "${limitName}" is not in limits`);
      }
    }
    for (const source of rule.reportedBy ?? []) {
      if (!(source in data.sources)) throw new UsageError(`${file}: rules[${i}].reportedBy (${rule.id}): source "${source}" is not in sources`);
    }
    if (rule.code !== undefined) {
      predictedBy.set(rule.code, [...(predictedBy.get(rule.code) ?? []), rule.id]);
    }
  });
  data.codes.forEach((entry, i) => {
    const predicting = predictedBy.get(entry.code);
    if (entry.knownBy === 'predicted' && !predicting) {
      throw new UsageError(`${file}: codes[${i}].knownBy (${entry.code}): "predicted" but no rule names this code`);
    }
    if (entry.knownBy !== 'predicted' && predicting) {
      throw new UsageError(`${file}: codes[${i}].knownBy (${entry.code}): "${entry.knownBy}" but rule ${predicting[0]} predicts it`);
    }
  });
  // What the sink simulates: each stage's code must be in the catalogue, its limit in limits.
  const simulatedBy = new Map<string, string[]>();
  for (const [stage, reply] of Object.entries(data.dialogue)) {
    if (!reply) continue;
    if (!codeByText.has(reply.code)) throw new UsageError(`${file}: dialogue.${stage}.code: "${reply.code}" is not in codes`);
    if (reply.limit !== undefined && !data.limits[reply.limit]) throw new UsageError(`${file}: dialogue.${stage}.limit: "${reply.limit}" is not in limits`);
    simulatedBy.set(reply.code, [...(simulatedBy.get(reply.code) ?? []), stage]);
  }
  const hostMarks = data.hosts.map((mark, i) => {
    try {
      return { pattern: new RegExp(mark.pattern, 'i'), side: mark.side };
    } catch (err) {
      throw new UsageError(`${file}: hosts[${i}].pattern: not a regular expression (${(err as Error).message})`);
    }
  });
  const providerMarks = data.marks.map((pattern, i) => {
    try {
      return new RegExp(pattern, 'i');
    } catch (err) {
      throw new UsageError(`${file}: marks[${i}]: not a regular expression (${(err as Error).message})`);
    }
  });
  return { ...data, file, predictedBy, simulatedBy, codeByText, hostMarks, providerMarks };
}

function listReferences(condition: unknown): string[] {
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) return [];
  const c = condition as { inList?: string; notInList?: string };
  return [c.inList, c.notInList].filter((x): x is string => typeof x === 'string');
}

function limitReferences(condition: unknown): string[] {
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) return [];
  const c = condition as Record<string, unknown>;
  return ['gt', 'gte', 'lt']
    .map((op) => c[op])
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.replace(/^limit:/, ''));
}
