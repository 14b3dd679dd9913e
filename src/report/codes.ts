import type { Lang } from '../engine/types.js';
import { safeJson } from './safe-text.js';
import type { Profile } from '../profile/load.js';

const knownByText = {
  en: { predicted: 'predicted', plan: 'needs a sending plan', 'explain-only': 'explain only', simulated: 'simulated by the sink', reported: 'reported by senders, not documented', assumption: 'assumption',
    units: { bytes: 'bytes', count: 'count', seconds: 'seconds' },
    coverage: (c: Coverage) => `${c.predictedOrSimulated} of ${c.codes} predicted or simulated (${c.predicted} predicted, ${c.simulated} simulated)` },
  zh: { predicted: '发送前预测', plan: '需发送计划', 'explain-only': '仅解释', simulated: '由 sink 模拟', reported: '来自发件人的报告，未公开说明', assumption: '假设',
    units: { bytes: '字节', count: '个', seconds: '秒' },
    coverage: (c: Coverage) => `${c.codes} 个代码中 ${c.predictedOrSimulated} 个可预测或可模拟（预测 ${c.predicted} 个，模拟 ${c.simulated} 个）` },
} as const;

export function catalogue(profile: Profile, lang: Lang) {
  return profile.codes.map((c) => ({
    code: c.code,
    token: c.token,
    category: c.category,
    knownBy: c.knownBy,
    rules: profile.predictedBy.get(c.code) ?? [],
    /** The sink's dialogue stages that give this code. */
    simulated: profile.simulatedBy.get(c.code) ?? [],
    ...(c.side ? { side: c.side } : {}),
    reportedOnly: c.reportedOnly ?? false,
    meaning: c.meaning[lang],
    remedy: c.remedy[lang],
    source: c.source,
  }));
}

function codesDocument(profile: Profile, lang: Lang) {
  return { provider: profile.provider, limits: profile.limits, coverage: coverage(profile), codes: catalogue(profile, lang) };
}

/** One profile: its catalogue at the top level; several: `profiles`, one such document each. */
export function formatCodesJson(profiles: readonly Profile[], lang: Lang, version: string): string {
  const body = profiles.length === 1 ? codesDocument(profiles[0]!, lang) : { profiles: profiles.map((p) => codesDocument(p, lang)) };
  return safeJson({ tool: 'presend', version, ...body }, 2) + '\n';
}

/** How many codes presend predicts before sending, simulates in the sink, or only explains. */
type Coverage = ReturnType<typeof coverage>;

export function coverage(profile: Profile) {
  const predicted = profile.codes.filter((c) => profile.predictedBy.has(c.code)).length;
  const simulated = profile.codes.filter((c) => profile.simulatedBy.has(c.code)).length;
  const either = profile.codes.filter((c) => profile.predictedBy.has(c.code) || profile.simulatedBy.has(c.code)).length;
  return { codes: profile.codes.length, predicted, simulated, predictedOrSimulated: either, explainOnly: profile.codes.length - either };
}

export function formatCodesText(profile: Profile, lang: Lang): string {
  const rows = catalogue(profile, lang);
  // Long text codes ("553 Requested action not taken: …") get a line of their own.
  const width = 16;
  const lines = [lang === 'zh' ? `${profile.name.zh} — ${rows.length} 个代码` : `${profile.name.en} — ${rows.length} codes`, ''];
  for (const r of rows) {
    const words = knownByText[lang];
    const how = [
      words[r.knownBy] + (r.rules.length > 0 ? `: ${r.rules.join(', ')}` : ''),
      ...(r.simulated.length > 0 ? [`${words.simulated}: ${r.simulated.join(', ')}`] : []),
      ...(r.reportedOnly ? [words.reported] : []),
    ].join(' · ');
    if (r.code.length > width) lines.push(r.code);
    lines.push(`${(r.code.length > width ? '' : r.code).padEnd(width)}  ${r.category.padEnd(8)}  ${how}`);
    lines.push(`${''.padEnd(width)}  ${r.meaning}`);
  }
  const c = coverage(profile);
  lines.push(knownByText[lang].coverage(c));
  const limits = Object.entries(profile.limits).map(([name, l]) => `${name} = ${l.value} ${knownByText[lang].units[l.unit]}${l.assumption ? ` (${knownByText[lang].assumption})` : ''}: ${l.source[lang]}`);
  if (limits.length > 0) lines.push('', ...limits);
  return lines.join('\n') + '\n';
}
