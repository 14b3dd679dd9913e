import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { fileLimits, readRegularFile } from '../files.js';
import { readCompiled } from './compiled.js';
import type { ContentFile } from './content-schema.js';
import type { DnsblFile } from './dnsbl-schema.js';
import type { CodeEntry, ProfileFile, ProfileRule, SharedRulesFile, Side } from './schema.js';

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

/** rules/posture.yaml: the rules every profile carries alike. */
export function sharedRulesPath(): string {
  return join(rulesDir, 'posture.yaml');
}

let sharedRead: { file: string; bytes: Buffer; compiled: SharedRulesFile | null } | undefined;
let sharedRules: ProfileRule[] | undefined;

/** rules/posture.yaml read once a process, with its compiled form when the build's copy matches. */
function readSharedRules(): NonNullable<typeof sharedRead> {
  if (!sharedRead) {
    const file = sharedRulesPath();
    const bytes = readProfileBytes(file);
    sharedRead = { file, bytes, compiled: readCompiled<SharedRulesFile>(file, rulesDir, bytes) };
  }
  return sharedRead;
}

/** The shared rules, validated once a process when no compiled form matches. */
function loadSharedRules(): ProfileRule[] {
  if (!sharedRules) {
    const { file, bytes, compiled } = readSharedRules();
    sharedRules = (compiled ?? validators().sharedRules(bytes.toString('utf8'), file)).rules;
  }
  return sharedRules;
}

/**
 * What validates a profile or blocklist file that has no compiled form matching it (a
 * profile of one's own, an edited YAML): zod schemas, registered by profile/validate.ts.
 * Kept out of this module because loading zod is a fifth of a short run's start-up, and a
 * run over the shipped, compiled profiles never needs it.
 */
export interface Validators {
  profile(text: string, file: string): ProfileFile;
  dnsbl(text: string, file: string): DnsblFile;
  content(text: string, file: string): ContentFile;
  sharedRules(text: string, file: string): SharedRulesFile;
}

let registered: Validators | undefined;

export function registerValidators(v: Validators): void {
  registered = v;
}

export function validators(): Validators {
  if (!registered) throw new Error('presend: profile validation is not loaded (import profile/validate.js, or await ensureValidators)');
  return registered;
}

const readProfileBytes = (file: string) => readRegularFile(file, `profile ${file}`, fileLimits.profile);

/** Loads the validators when one of these files has no compiled form that matches it. */
export async function ensureValidators(files: readonly string[]): Promise<void> {
  if (registered) return;
  const uncompiled = readSharedRules().compiled === null || files.some((file) => readCompiled<unknown>(file, rulesDir, readProfileBytes(file)) === null);
  if (uncompiled) await import('./validate.js');
}

export function loadProfile(file = defaultProfilePath()): Profile {
  const bytes = readProfileBytes(file);
  return profileFrom(file, bytes, readCompiled<ProfileFile>(file, rulesDir, bytes));
}

/**
 * Profiles for one run, each file read once (ensureValidators and then loadProfile read
 * each twice): the validators load first only when one has no compiled form that matches it.
 */
export async function loadProfiles(files: readonly string[]): Promise<Profile[]> {
  const read = files.map((file) => {
    const bytes = readProfileBytes(file);
    return { file, bytes, compiled: readCompiled<ProfileFile>(file, rulesDir, bytes) };
  });
  if (!registered && (read.some(({ compiled }) => compiled === null) || readSharedRules().compiled === null)) await import('./validate.js');
  return read.map(({ file, bytes, compiled }) => profileFrom(file, bytes, compiled));
}

function profileFrom(file: string, bytes: Buffer, compiled: ProfileFile | null): Profile {
  const data = compiled ?? validators().profile(bytes.toString('utf8'), file);
  // The shared rules follow the profile's own; a profile's rule of the same id replaces the shared one.
  const own = new Set(data.rules.map((r) => r.id));
  const rules = [...data.rules, ...loadSharedRules().filter((r) => !own.has(r.id))];
  // The provider's own domains are a list too, so rules can ask whether an address is the provider's.
  return crossCheck(file, { ...data, rules, lists: { ...data.lists, domains: data.domains } });
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
