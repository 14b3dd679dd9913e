#!/usr/bin/env node
// `npm run bench:content`: presend's content engine on the SpamAssassin public corpus, offline.
// Tuned on spam-1 + easy-ham-1; reported on spam-2 + easy-ham-2 + hard-ham-1, which are never
// tuned on. Beside it, in the same run, rspamd and SpamAssassin where they answer on loopback
// (see bench/content-engines.js). Results go to bench/results.json ("content").
//   --rates   print each signal's fire rates on the tuning groups, as rules/content.yaml keeps them
//   --fit     write those rates, and weights fitted from them, into rules/content.yaml (see fitWeights)
//   --groups  spam-1,easy-ham-1  judge these groups only
//   --engine-cost  only what the engine costs an eml call (whole processes, the A/B below), into bench/results.json
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
// An edited rules/content.yaml is validated as a run would (the compiled copy no longer matches it).
import '../dist/profile/validate.js';
import { contentSignalsCheck } from '../dist/checks/content/index.js';
import { emlInputs } from '../dist/engine/inputs.js';
import { checkTarget, createSession } from '../dist/engine/session.js';
import { messageFacts } from '../dist/message/read.js';
import { groupDrafts, HELD_OUT, TUNING } from './content-corpus.js';
import { peerEngines } from './content-engines.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENGINE_CONCURRENCY = 4;
const args = process.argv.slice(2);
const groupsArg = args.includes('--groups') ? args[args.indexOf('--groups') + 1].split(',') : null;
const fit = args.includes('--fit');
const showRates = args.includes('--rates') || fit;
const groups = groupsArg ?? (showRates ? TUNING : [...TUNING, ...HELD_OUT]);

const session = createSession({ lang: 'en', servers: [], zoneFiles: [], offline: true, profilePaths: [join(root, 'rules', 'netease.yaml')] });
const percent = (n, of) => Math.round((1000 * n) / of) / 10;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const isSpamToken = (f) => typeof f.code === 'string' && f.code.includes('DT:SPM') && !f.couldNotCheck;

async function judgeGroup(group, engines) {
  const drafts = groupDrafts(group);
  const tally = { messages: drafts.length, spamLikely: 0, anyDtSpm: 0, anyError: 0, signals: {}, engineMs: [] };
  const peers = Object.fromEntries(engines.map((e) => [e.name, { judged: 0, spam: 0, couldNotCheck: 0, ms: [] }]));
  const judged = [];
  for (const { name, draft } of drafts) {
    const facts = await messageFacts(name, draft);
    const inputs = emlInputs(facts, { offline: true });
    const t = performance.now();
    await contentSignalsCheck.run({ inputs, data: { dnsbl: [], contentModel: session.contentModel, contentEngines: {} }, dns: null, observationsOf: async () => [] });
    tally.engineMs.push(performance.now() - t);
    const report = await checkTarget(session, inputs);
    const findings = report.findings;
    if (findings.some((f) => f.rule === 'content-spam-likely')) tally.spamLikely++;
    if (findings.some(isSpamToken)) tally.anyDtSpm++;
    if (findings.some((f) => f.severity === 'error' && !f.couldNotCheck)) tally.anyError++;
    for (const f of findings) if (f.rule === 'content-signal') tally.signals[f.evidence.signal] = (tally.signals[f.evidence.signal] ?? 0) + 1;
    judged.push({ draft, inputs });
  }
  // The real filters after, four drafts at a time (spamd runs four children): each verdict's time is its own request's.
  for (const engine of engines) {
    const peer = peers[engine.name];
    let next = 0;
    await Promise.all(
      Array.from({ length: ENGINE_CONCURRENCY }, async () => {
        while (next < judged.length) {
          const { draft, inputs } = judged[next++];
          const t0 = performance.now();
          const verdict = await engine.judge(draft, inputs);
          if (verdict === null) peer.couldNotCheck++;
          else {
            peer.judged++;
            if (verdict.spam) peer.spam++;
            peer.ms.push(performance.now() - t0);
          }
        }
      }),
    );
  }
  return {
    messages: tally.messages,
    contentSpamLikely: percent(tally.spamLikely, tally.messages),
    anyDtSpm: percent(tally.anyDtSpm, tally.messages),
    anyError: percent(tally.anyError, tally.messages),
    engineMsMedian: Math.round(median(tally.engineMs) * 1000) / 1000,
    engineMsP99: Math.round([...tally.engineMs].sort((a, b) => a - b)[Math.floor(tally.engineMs.length * 0.99)] * 1000) / 1000,
    signals: Object.fromEntries(Object.entries(tally.signals).sort(([a], [b]) => a.localeCompare(b)).map(([id, n]) => [id, percent(n, tally.messages)])),
    peers: Object.fromEntries(Object.entries(peers).map(([n, p]) => [n, { spam: percent(p.spam, p.judged || 1), judged: p.judged, couldNotCheck: p.couldNotCheck, msMedian: Math.round(median(p.ms) * 10) / 10 }])),
  };
}

/**
 * Weights from the tuning groups, as a naive Bayes filter weighs a token: the log of how much
 * likelier the signal is in spam than in ham, smoothed with PSEUDO_COUNT messages each way —
 * easy ham gives few counter-examples, and an unsmoothed ratio would let any one signal decide.
 * A signal marked `fitted: false`, or firing on fewer than 1 % of the tuning spam (those
 * written for today's spam), keeps the weight set by hand in the file.
 */
const PSEUDO_COUNT = Number(process.env.CONTENT_PSEUDO_COUNT ?? 5);

function fitWeights(spamGroup, hamGroup) {
  const file = join(root, 'rules', 'content.yaml');
  let text = readFileSync(file, 'utf8');
  const blocks = text.split(/(?=^  - id: )/m);
  text = blocks
    .map((block) => {
      const id = /^  - id: (\S+)/.exec(block)?.[1];
      if (!id) return block;
      const s = spamGroup.signals[id] ?? 0;
      const h = hamGroup.signals[id] ?? 0;
      let out = block.replace(/rates: \{[^}]*\}/, `rates: { spam: ${s}, ham: ${h} }`);
      if (s >= 1 && !/^    fitted: false$/m.test(block)) {
        const spamCount = (s * spamGroup.messages) / 100;
        const hamCount = (h * hamGroup.messages) / 100;
        const odds = (spamCount + PSEUDO_COUNT) / (spamGroup.messages + 2 * PSEUDO_COUNT) / ((hamCount + PSEUDO_COUNT) / (hamGroup.messages + 2 * PSEUDO_COUNT));
        const weight = Math.round(Math.max(0.5, Math.log(odds)) * 10) / 10;
        out = out.replace(/weight: [\d.]+/, `weight: ${weight}`);
      }
      return out;
    })
    .join('');
  writeFileSync(file, text);
  console.log('rules/content.yaml: rates and fitted weights written');
}

/**
 * What the engine costs an `eml` call, as a user runs one: 1,000 held-out drafts written to
 * files and checked by whole `presend eml --offline` processes, with the engine and without
 * it (a config that turns off every rule reading it, so the session leaves the check out;
 * the run with it reads a config too, naming the same rules at their own severities, so
 * both pay for reading one), alternated over ROUNDS pairs; the medians, and the median of
 * the pairs' ratios.
 */
const AB_DRAFTS = 1000;
const ROUNDS = Number(process.env.CONTENT_AB_ROUNDS ?? 15);
function engineCostInEml() {
  const all = HELD_OUT.flatMap((g) => groupDrafts(g));
  const step = Math.max(1, Math.floor(all.length / AB_DRAFTS));
  const drafts = all.filter((_, i) => i % step === 0).slice(0, AB_DRAFTS);
  const dir = mkdtempSync(join(tmpdir(), 'presend-content-ab-'));
  try {
    const files = drafts.map((d, i) => {
      const file = join(dir, `${String(i).padStart(4, '0')}.eml`);
      writeFileSync(file, d.draft);
      return file;
    });
    const noContent = join(dir, 'no-content.yaml');
    writeFileSync(noContent, 'rules:\n  content-signal: off\n  content-spam-likely: off\n');
    const content = join(dir, 'content.yaml');
    writeFileSync(content, 'rules:\n  content-signal: warning\n  content-spam-likely: error\n');
    const cli = join(root, 'bin', 'presend.js');
    const timed = (extra) => {
      const t = performance.now();
      const r = spawnSync(process.execPath, [cli, 'eml', '--offline', ...extra, ...files], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      if (r.status !== 0 && r.status !== 1) throw new Error(`presend eml exited ${r.status}: ${r.stderr}`);
      return performance.now() - t;
    };
    timed(['--config', content]);
    const pairs = [];
    for (let r = 0; r < ROUNDS; r++) pairs.push({ with: timed(['--config', content]), without: timed(['--config', noContent]) });
    const withMs = median(pairs.map((p) => p.with));
    const withoutMs = median(pairs.map((p) => p.without));
    const ratio = median(pairs.map((p) => p.with / p.without));
    return { drafts: drafts.length, rounds: ROUNDS, withMs: Math.round(withMs), withoutMs: Math.round(withoutMs), ratio: Math.round(ratio * 100) / 100 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function writeContentResults(update) {
  const file = join(root, 'bench', 'results.json');
  const all = JSON.parse(readFileSync(file, 'utf8'));
  all.content = { ...all.content, ...update };
  writeFileSync(file, JSON.stringify(all, null, 2) + '\n');
}

function reportEngineCost(ab) {
  console.log(`presend eml --offline on ${ab.drafts} held-out drafts, whole processes, ${ab.rounds} pairs: ${ab.withMs} ms with the engine, ${ab.withoutMs} ms without — ${ab.ratio} × (median of the pairs; goal ≤ 1.2)`);
}

if (args.includes('--engine-cost')) {
  const ab = engineCostInEml();
  reportEngineCost(ab);
  writeContentResults({ engineInEml: ab });
  process.exit(0);
}

const engines = showRates ? [] : await peerEngines();
const results = {};
for (const group of groups) {
  results[group] = await judgeGroup(group, engines);
  const r = results[group];
  const peers = Object.entries(r.peers).map(([n, p]) => ` · ${n} ${p.spam} %${p.couldNotCheck ? ` (${p.couldNotCheck} unanswered)` : ''} ${p.msMedian} ms`).join('');
  console.log(`${group.padEnd(11)} ${String(r.messages).padStart(5)} msgs · content-spam-likely ${r.contentSpamLikely} % · any DT:SPM ${r.anyDtSpm} % · any error ${r.anyError} % · engine ${r.engineMsMedian} ms median, ${r.engineMsP99} ms p99${peers}`);
}
for (const engine of engines) await engine.close?.();

if (showRates) {
  const spam = results['spam-1'].signals;
  const ham = results['easy-ham-1'].signals;
  for (const id of [...new Set([...Object.keys(spam), ...Object.keys(ham)])].sort()) console.log(`${id}: { spam: ${spam[id] ?? 0}, ham: ${ham[id] ?? 0} }`);
  if (fit) fitWeights(results['spam-1'], results['easy-ham-1']);
} else if (!groupsArg) {
  const ab = engineCostInEml();
  reportEngineCost(ab);
  writeContentResults({ date: new Date().toISOString().slice(0, 10), node: process.version, tuning: TUNING, heldOut: HELD_OUT, groups: results, engineInEml: ab });
  console.log(`written to bench/results.json (content)`);
}
