/**
 * presend's content engine: every signal (one module per family) observes the draft
 * once, each that fires is an observation with its weight from rules/content.yaml, and
 * their sum against the threshold is one more. Provider rules turn them into findings
 * with the provider's spam reply; the engine itself knows no provider.
 */
import type { Check, Observation } from '../../engine/types.js';
import { joinProse } from '../../prose.js';
import { needsMessage } from '../needs-message.js';

/** Scores are sums of weights with one decimal: rounding keeps 0.1 + 0.2 from reading 0.30000000000000004. */
const round = (n: number) => Math.round(n * 10) / 10;

export const contentSignalsCheck: Check = {
  id: 'content-signals',
  description: 'The draft does not look like spam to a content filter: header fingerprints, MIME shape, links, HTML, text',
  needsDns: false,
  skipReason: needsMessage,
  async run({ inputs, data }) {
    const model = data.contentModel();
    // The signals (and the HTML parser they use) load with the first draft: a domain run never needs them.
    const { contentSignals, draftView } = await import('./signals.js');
    const view = draftView(inputs.message!, { shorteners: model.shorteners, freemail: model.freemail });
    const out: Observation[] = [];
    let score = 0;
    for (const signal of contentSignals) {
      const hit = signal.observe(view);
      if (!hit) continue;
      const weighting = model.signals.get(signal.id);
      if (!weighting) throw new Error(`content signal ${signal.id} has no weight in rules/content.yaml`);
      score += weighting.weight;
      out.push({
        check: 'content-signals',
        kind: 'signal',
        data: { signal: signal.id, family: signal.family, weight: weighting.weight },
        prose: { detail: hit.detail },
        evidence: { signal: signal.id, weight: weighting.weight, source: weighting.source, ratesOnTuningCorpus: weighting.rates, ...(signal.headerField ? { headerField: signal.headerField } : {}), ...hit.evidence },
      });
    }
    score = round(score);
    // Heaviest first: the order in which removing them lowers the score most.
    const fired = [...out].sort((a, b) => Number(b.data.weight) - Number(a.data.weight)).map((o) => `${String(o.data.signal)} (${String(o.data.weight)})`);
    out.push({
      check: 'content-signals',
      kind: 'score',
      data: { score, threshold: model.threshold, reached: score >= model.threshold, signals: out.map((o) => String(o.data.signal)) },
      prose: { signals: fired.length > 0 ? joinProse(fired.map((f) => ({ en: f, zh: f })), { en: ', ', zh: '、' }) : { en: 'none', zh: '无' } },
      evidence: { score, threshold: model.threshold, signals: Object.fromEntries(out.map((o) => [String(o.data.signal), o.data.weight])) },
    });
    return out;
  },
};
