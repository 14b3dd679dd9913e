import type { Profile } from '../profile/load.js';
import type { Condition, ProfileRule } from '../profile/schema.js';
import type { Finding, Lang, Observation, Scalar } from './types.js';

export interface MatchContext {
  profile: Profile;
  /** Effective limits: the profile's values with any command-line overrides. */
  limits: Record<string, number>;
  lang: Lang;
}

export function effectiveLimits(profile: Profile, overrides: Record<string, number>): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const [name, limit] of Object.entries(profile.limits)) limits[name] = limit.value;
  return { ...limits, ...overrides };
}

function resolveNumber(value: number | string, limits: Record<string, number>): number {
  if (typeof value === 'number') return value;
  const name = value.replace(/^limit:/, '');
  const resolved = limits[name];
  return resolved === undefined ? Number.NaN : resolved;
}

function normalise(value: Scalar): Scalar {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

function inSet(value: Scalar | Scalar[] | undefined, candidates: readonly Scalar[]): boolean {
  const wanted = candidates.map(normalise);
  const values = Array.isArray(value) ? value : [value ?? null];
  return values.some((v) => wanted.includes(normalise(v)));
}

export function conditionHolds(value: Scalar | Scalar[] | undefined, condition: Condition, ctx: MatchContext): boolean {
  if (condition === null || typeof condition !== 'object') return inSet(value, [condition]);
  if (Array.isArray(condition)) return inSet(value, condition);
  const numeric = typeof value === 'number' ? value : Number.NaN;
  if (condition.exists !== undefined && (value !== undefined && value !== null) !== condition.exists) return false;
  if (condition.eq !== undefined && !inSet(value, [condition.eq])) return false;
  if (condition.in !== undefined && !inSet(value, condition.in)) return false;
  if (condition.not !== undefined && inSet(value, Array.isArray(condition.not) ? condition.not : [condition.not])) return false;
  if (condition.gt !== undefined && !(numeric > resolveNumber(condition.gt, ctx.limits))) return false;
  if (condition.gte !== undefined && !(numeric >= resolveNumber(condition.gte, ctx.limits))) return false;
  if (condition.lt !== undefined && !(numeric < resolveNumber(condition.lt, ctx.limits))) return false;
  if (condition.inList !== undefined && !inSet(value, ctx.profile.lists[condition.inList] ?? [])) return false;
  if (condition.notInList !== undefined && inSet(value, ctx.profile.lists[condition.notInList] ?? [])) return false;
  return true;
}

export function ruleMatches(rule: ProfileRule, observation: Observation, ctx: MatchContext): boolean {
  if (rule.check !== observation.check || rule.kind !== observation.kind) return false;
  return Object.entries(rule.when).every(([field, condition]) => conditionHolds(observation.data[field], condition, ctx));
}

/** Fills `{field}` from the observation's data; a field the observation lacks stays visible as-is. */
export function renderTemplate(template: string, data: Record<string, unknown>): string {
  return template.replace(/\{([A-Za-z][\w-]*)\}/g, (whole, key: string) => {
    const value = data[key];
    if (value === undefined || value === null) return whole;
    return Array.isArray(value) ? value.join(', ') : String(value);
  });
}

export function toFinding(rule: ProfileRule, observation: Observation, ctx: MatchContext): Finding {
  const entry = rule.code === undefined ? undefined : ctx.profile.codeByText.get(rule.code);
  const prose = Object.fromEntries(Object.entries(observation.prose ?? {}).map(([field, text]) => [field, text[ctx.lang]]));
  const data: Record<string, unknown> = { ...observation.data, ...prose, limit: limitText(rule, ctx) ?? observation.data.limit };
  const remedy = rule.remedy ?? entry?.remedy;
  const message = renderTemplate(rule.message[ctx.lang], data);
  const assumption = rule.assumption ? ` ${rule.assumption[ctx.lang]}` : '';
  return {
    rule: rule.id,
    severity: rule.severity,
    provider: ctx.profile.provider,
    code: entry?.code ?? null,
    token: entry?.token ?? null,
    message: message + assumption,
    remedy: remedy ? renderTemplate(remedy[ctx.lang], data) : '',
    evidence: observation.evidence,
    check: observation.check,
    ...(rule.couldNotCheck ? { couldNotCheck: true } : {}),
  };
}

/** A rule that compares against a named limit shows that limit, with its source, in the message. */
function limitText(rule: ProfileRule, ctx: MatchContext): string | undefined {
  for (const condition of Object.values(rule.when)) {
    if (!condition || typeof condition !== 'object' || Array.isArray(condition)) continue;
    const ref = [condition.gt, condition.gte, condition.lt].find((v): v is string => typeof v === 'string');
    if (!ref) continue;
    const name = ref.replace(/^limit:/, '');
    const value = ctx.limits[name];
    const declared = ctx.profile.limits[name];
    if (value === undefined || !declared) continue;
    const shown = declared.unit === 'bytes' ? formatBytes(value) : String(value);
    const overridden = value !== declared.value;
    if (overridden) return ctx.lang === 'zh' ? `${shown}（命令行设置）` : `${shown} (set on the command line)`;
    if (!declared.assumption) return shown;
    return ctx.lang === 'zh' ? `${shown}（假设：${declared.source.zh}）` : `${shown} (an assumption: ${declared.source.en})`;
  }
  return undefined;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${bytes} bytes`;
}
