import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { notesIn } from '../engine/notes.js';
import { ENGINE_RULES, type Finding, type Lang, type Report, type Severity } from '../engine/types.js';
import { firstOccurrences } from './distinct.js';
import { safeJson } from './safe-text.js';
import type { Profile } from '../profile/load.js';

/**
 * A finding's message in its fingerprint, so two findings of one rule on one target stay two
 * alerts. node:crypto is loaded here, on first use, not with the report module every run loads.
 */
function messageFingerprint(message: string): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(message).digest('hex').slice(0, 16);
}

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const level: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
/** The README section that documents every rule. */
const README_ANCHOR = 'rules-and-codes';

export interface SarifOptions {
  version: string;
  lang: Lang;
  /** Absolute base of the README (e.g. the repository URL) for helpUri; SARIF requires absolute URIs there. */
  helpBaseUri?: string;
}

/** With several providers a rule id is qualified by its provider (`gmail/ptr-forward-confirmed`): two profiles may share an id. */
export function sarifRuleId(provider: string, rule: string, qualified: boolean): string {
  return qualified ? `${provider}/${rule}` : rule;
}

/** A descriptor's name: its id in PascalCase (`gmail/ptr-forward-confirmed` → `GmailPtrForwardConfirmed`). */
function descriptorName(provider: string, rule: string, qualified: boolean): string {
  return (qualified ? `${provider}-${rule}` : rule).replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase());
}

/**
 * Where information about this version of presend is (SARIF2005 wants it): the config's
 * helpBaseUri, else the README shipped beside this build, by its absolute file URI.
 */
function informationUri(options: SarifOptions): string {
  return options.helpBaseUri ? options.helpBaseUri.replace(/#.*$/, '') : pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md')).href;
}

const helpUriOf = (options: SarifOptions) => (options.helpBaseUri ? { helpUri: `${options.helpBaseUri.replace(/#.*$/, '')}#${README_ANCHOR}` } : {});

function ruleDescriptors(profile: Profile, options: SarifOptions, qualified: boolean) {
  return profile.rules.map((rule) => {
    const entry = rule.code ? profile.codeByText.get(rule.code) : undefined;
    const remedy = (rule.remedy ?? entry?.remedy)?.[options.lang] ?? '';
    const meaning = entry?.meaning[options.lang] ?? '';
    const code = rule.code ?? 'no provider code';
    return {
      id: sarifRuleId(profile.provider, rule.id, qualified),
      name: descriptorName(profile.provider, rule.id, qualified),
      shortDescription: { text: `${code}: ${meaning || rule.message[options.lang].replace(/\{[^}]+\}/g, '…')}`.slice(0, 1000) },
      fullDescription: { text: rule.message[options.lang].replace(/\{[^}]+\}/g, '…') },
      help: {
        text: `${remedy}\n\nReply: ${code} (${profile.provider}). See README.md#${README_ANCHOR}.`,
        markdown: `${remedy}\n\nReply: \`${code}\` (${profile.provider}). See [README § Rules and codes](README.md#${README_ANCHOR}).`,
      },
      ...helpUriOf(options),
      defaultConfiguration: { level: level[rule.severity] },
      properties: { provider: profile.provider, code: rule.code ?? null, token: entry?.token ?? null, check: rule.check, tags: ['deliverability', profile.provider, rule.check] },
    };
  });
}

/** The findings the engine writes itself (could-not-check, check-could-not-finish), described like a profile's rules. */
function engineDescriptors(profile: Profile, options: SarifOptions, qualified: boolean) {
  const say = notesIn(options.lang);
  const rules = [
    { id: ENGINE_RULES.undecided, text: say.undecidedRule(), remedy: say.undecidedRemedy() },
    { id: ENGINE_RULES.crashed, text: say.crashedRule(), remedy: say.crashedRemedy() },
  ];
  return rules.map((rule) => ({
    id: sarifRuleId(profile.provider, rule.id, qualified),
    name: descriptorName(profile.provider, rule.id, qualified),
    shortDescription: { text: rule.text },
    fullDescription: { text: rule.text },
    help: { text: rule.remedy, markdown: rule.remedy },
    ...helpUriOf(options),
    defaultConfiguration: { level: 'warning' as const },
    properties: { provider: profile.provider, code: null, token: null, tags: ['deliverability', profile.provider, 'could-not-check'] },
  }));
}

/** The repository root (the nearest folder above the working directory holding .git), else the working directory. */
function repositoryRoot(): string {
  let dir = process.cwd();
  for (let depth = 0; depth < 32; depth++) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return process.cwd();
}

/** An artifact relative to the repository root (SARIF §3.4.4 uriBaseId), so code scanning finds it whichever way it was named. */
function artifact(file: string, root: string) {
  const path = relative(root, resolve(file)).split(sep).join('/');
  return path.startsWith('..') ? { uri: pathToFileURL(resolve(file)).href } : { uri: encodeURI(path), uriBaseId: 'SRCROOT' };
}

/**
 * Where a result points: the draft and its header line, or the config entry or domain-list
 * line that named the target — code scanning drops a result with no physical location. A
 * finding without a line points at the file's first line (SARIF2017 wants a region); a
 * domain named only on the command line has no file, so its artifact is the domain's name,
 * said to stand for its DNS.
 */
function locations(finding: Finding, report: Report, root: string) {
  const logical = { logicalLocations: [{ name: report.target.file ?? report.target.domain, kind: 'module', fullyQualifiedName: `${report.target.kind}:${report.target.file ?? report.target.domain}` }] };
  if (finding.location) {
    return [{ physicalLocation: { artifactLocation: artifact(finding.location.file, root), region: { startLine: finding.location.line ?? 1 } }, ...logical }];
  }
  const stated = { uri: encodeURI(report.target.domain), description: { text: `the DNS of ${report.target.domain} (named on the command line: no file in the repository)` } };
  return [{ physicalLocation: { artifactLocation: stated, region: { startLine: 1 } }, ...logical }];
}

/** SARIF 2.1.0: one reportingDescriptor per presend rule, one result per finding. */
export function formatSarif(reports: Report[], profiles: readonly Profile[], options: SarifOptions): string {
  const qualified = profiles.length > 1;
  const descriptors = profiles.flatMap((profile) => [...ruleDescriptors(profile, options, qualified), ...engineDescriptors(profile, options, qualified)]);
  const root = repositoryRoot();
  const index = new Map(descriptors.map((d, i) => [d.id, i]));
  const distinct = firstOccurrences(reports);
  const results = reports.flatMap((report) =>
    distinct.get(report)!.map((f) => ({
      ruleId: sarifRuleId(f.provider, f.rule, qualified),
      ...(index.has(sarifRuleId(f.provider, f.rule, qualified)) ? { ruleIndex: index.get(sarifRuleId(f.provider, f.rule, qualified)) } : {}),
      level: level[f.severity],
      message: { text: `${f.code ? `${f.code}: ` : ''}${f.message}${f.remedy ? ` Fix: ${f.remedy}` : ''}` },
      locations: locations(f, report, root),
      // One rule can find several things in one target (two blocklists that would not answer): the message tells them apart.
      partialFingerprints: { presendTarget: `${report.target.kind}:${report.target.file ?? report.target.domain}:${sarifRuleId(f.provider, f.rule, qualified)}:${messageFingerprint(f.message)}` },
      properties: { provider: f.provider, code: f.code, token: f.token, evidence: f.evidence, target: report.target },
    })),
  );
  // A target that could not be checked is a notification of the run, not a result about the code (SARIF §3.58).
  const unchecked = reports.filter((r) => r.error !== undefined);
  const invocation = {
    executionSuccessful: unchecked.length === 0,
    ...(unchecked.length > 0
      ? {
          toolExecutionNotifications: unchecked.map((r) => ({
            level: 'error',
            message: { text: `could not check ${r.target.file ?? r.target.domain}: ${r.error}` },
            locations: [{ physicalLocation: { artifactLocation: artifact(r.target.file ?? r.target.domain, root) } }],
          })),
        }
      : {}),
  };
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'presend', version: options.version, semanticVersion: options.version, informationUri: informationUri(options), rules: descriptors } },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(root + sep).href } },
        invocations: [invocation],
        results,
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
  return safeJson(log, 2) + '\n';
}
