/**
 * A real spam filter asked about the draft (rspamd, SpamAssassin's spamd), its verdict an
 * observation beside presend's own. One that does not answer is undecided — "could not
 * check", never clean.
 */
import type { Readable } from 'node:stream';
import type { Check, Inputs, Observation, ProfileData } from '../../engine/types.js';
import type { EngineVerdict } from '../../engines/verdict.js';
import { needsMessage } from '../needs-message.js';

/** rspamd's default max_message; SpamAssassin's spamc sends at most 500 KB, spamd itself takes more. */
const MAX_DRAFT_BYTES = 50 * 1024 * 1024;
const SHOWN_SYMBOLS = 40;

async function rawBytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface EngineSpec {
  id: string;
  name: string;
  flag: string;
  /** Where the engine is, or undefined when the run did not name one. */
  where(data: ProfileData): string | undefined;
  ask(data: ProfileData, raw: Buffer, inputs: Inputs): Promise<EngineVerdict>;
}

function observationOf(spec: EngineSpec, where: string, verdict: EngineVerdict): Observation {
  const symbols = [...verdict.symbols].sort((a, b) => Math.abs(b.score ?? 1) - Math.abs(a.score ?? 1)).slice(0, SHOWN_SYMBOLS);
  const listed = symbols.map((s) => (s.score !== undefined ? `${s.name} (${Math.round(s.score * 100) / 100})` : s.name)).join(', ') || '—';
  return {
    check: spec.id,
    kind: 'verdict',
    data: { spam: verdict.spam, score: Math.round(verdict.score * 100) / 100, required: verdict.required, action: verdict.action ?? null },
    prose: { symbols: { en: listed, zh: listed } },
    evidence: { engine: spec.name, at: where, score: verdict.score, required: verdict.required, ...(verdict.action ? { action: verdict.action } : {}), symbols },
  };
}

export function engineCheck(spec: EngineSpec): Check {
  return {
    id: spec.id,
    description: `${spec.name}'s own verdict on the draft (${spec.flag})`,
    needsDns: false,
    skipReason: (inputs, data) => needsMessage(inputs) ?? (data && spec.where(data) === undefined ? `no ${spec.flag} given` : null),
    async run({ inputs, data }) {
      const where = spec.where(data)!;
      const message = inputs.message!;
      const undecided = (why: string): Observation[] => [
        {
          check: spec.id,
          kind: 'verdict',
          data: { spam: null },
          prose: { reason: { en: `${spec.name} at ${where} did not answer as one (${why})`, zh: `${spec.name}（${where}）未正常应答（${why}）` } },
          evidence: { engine: spec.name, at: where, error: why },
          undecided: { en: `${spec.name} at ${where} did not judge the draft: ${why}`, zh: `${spec.name}（${where}）未能判定该草稿：${why}` },
        },
      ];
      if (message.rawSize > MAX_DRAFT_BYTES) return undecided(`the draft is ${message.rawSize} bytes, over the ${MAX_DRAFT_BYTES} an engine is sent`);
      try {
        return [observationOf(spec, where, await spec.ask(data, await rawBytes(message.openRaw()), inputs))];
      } catch (err) {
        return undecided((err as Error).message.slice(0, 200));
      }
    },
  };
}
