import type { Lang } from '../engine/types.js';
import type { Profile } from '../profile/load.js';

const knownByText = {
  en: { predicted: 'predicted', plan: 'needs a sending plan', 'explain-only': 'explain only' },
  zh: { predicted: '发送前预测', plan: '需发送计划', 'explain-only': '仅解释' },
} as const;

export function catalogue(profile: Profile, lang: Lang) {
  return profile.codes.map((c) => ({
    code: c.code,
    token: c.token,
    category: c.category,
    knownBy: c.knownBy,
    rules: profile.predictedBy.get(c.code) ?? [],
    meaning: c.meaning[lang],
    remedy: c.remedy[lang],
    source: c.source,
  }));
}

export function formatCodesJson(profile: Profile, lang: Lang, version: string): string {
  return (
    JSON.stringify(
      {
        tool: 'presend',
        version,
        provider: profile.provider,
        limits: profile.limits,
        codes: catalogue(profile, lang),
      },
      null,
      2,
    ) + '\n'
  );
}

export function formatCodesText(profile: Profile, lang: Lang): string {
  const rows = catalogue(profile, lang);
  // Long text codes ("553 Requested action not taken: …") get a line of their own.
  const width = 16;
  const lines = [`${profile.name[lang]} — ${rows.length} codes`, ''];
  for (const r of rows) {
    const how = knownByText[lang][r.knownBy] + (r.rules.length > 0 ? `: ${r.rules.join(', ')}` : '');
    if (r.code.length > width) lines.push(r.code);
    lines.push(`${(r.code.length > width ? '' : r.code).padEnd(width)}  ${r.category.padEnd(8)}  ${how}`);
    lines.push(`${''.padEnd(width)}  ${r.meaning}`);
  }
  const limits = Object.entries(profile.limits).map(([name, l]) => `${name} = ${l.value} ${l.unit}${l.assumption ? ' (assumption)' : ''}: ${l.source}`);
  if (limits.length > 0) lines.push('', ...limits);
  return lines.join('\n') + '\n';
}
