/**
 * The findings the engine writes itself, beside the profiles' rules, table-driven: a check
 * that throws is "could not finish", and an observation that could not decide is reported
 * by every provider — through the profile's own rule where it has one, else as
 * could-not-check — in the reader's language. Neither is ever a pass.
 */
import { describe, expect, it } from 'vitest';
import { domainInputs } from '../../src/engine/inputs.js';
import { run } from '../../src/engine/run.js';
import type { Check, Lang, Observation } from '../../src/engine/types.js';
import { defaultProfilePath, loadProfile } from '../../src/profile/load.js';
import { offlineClient } from '../helpers/dns.js';

const why = { en: 'the server answered SERVFAIL', zh: '服务器应答 SERVFAIL' };
const ptrUndecided: Observation = { check: 'ptr', kind: 'ptr', data: { ip: '192.0.2.1', status: 'could-not-check' }, prose: { detail: why }, evidence: {}, undecided: why };
const probeUndecided: Observation = { check: 'probe', kind: 'lookup', data: { status: 'could-not-check' }, evidence: {}, undecided: why };

const checkOf = (id: string, observe: () => Promise<Observation[]>): Check => ({ id, description: id, needsDns: false, skipReason: () => null, run: observe });

async function findingsOf(check: Check, providers: string[], lang: Lang = 'en') {
  const report = await run(domainInputs('shop.example', { ip: '192.0.2.1' }), {
    profiles: providers.map((p) => loadProfile(defaultProfilePath(p))),
    checks: [check],
    dns: offlineClient(),
    lang,
    data: { dnsbl: [], contentModel: () => { throw new Error('no draft here'); }, contentEngines: {} },
    dnsAvailable: true,
  });
  return { report, found: report.findings.map((f) => [f.provider, f.rule, f.severity, f.code, f.couldNotCheck ?? false]) };
}

describe('findings the engine writes itself', () => {
  it.each([
    ['a profile rule for the fault wins (NetEase: ptr-could-not-check)', ptrUndecided, ['netease'], [['netease', 'ptr-could-not-check', 'warning', null, true]]],
    ['each provider speaks, by its own rule or as could-not-check', ptrUndecided, ['netease', 'outlook', 'yahoo'], [
      ['netease', 'ptr-could-not-check', 'warning', null, true],
      ['outlook', 'could-not-check', 'warning', null, true],
      ['yahoo', 'could-not-check', 'warning', null, true],
    ]],
    ['a fault of a check no profile writes rules for', probeUndecided, ['gmail', 'qq'], [
      ['gmail', 'could-not-check', 'warning', null, true],
      ['qq', 'could-not-check', 'warning', null, true],
    ]],
    ['an observation that decided earns nothing from the engine', { ...probeUndecided, undecided: undefined }, ['gmail'], []],
  ] as [string, Observation, string[], unknown[]][])('%s', async (_n, observation, providers, expected) => {
    const { report, found } = await findingsOf(checkOf(observation.check, async () => [observation]), providers);
    expect(found).toEqual(expected);
    if (expected.length > 0) expect(report.checks[0]!.status).toBe('warn');
  });

  it.each([
    ['en', /^Could not check ptr: the server answered SERVFAIL\. Neither a failure nor a pass/],
    ['zh', /^无法完成 ptr 检查：服务器应答 SERVFAIL。这既不是失败也不是通过/],
  ] as [Lang, RegExp][])('could-not-check says why in the reader\'s language (%s)', async (lang, message) => {
    const { report } = await findingsOf(checkOf('ptr', async () => [ptrUndecided]), ['outlook'], lang);
    expect(report.findings[0]!.message).toMatch(message);
  });

  it.each([
    ['en', 'The boom check could not finish (exploded); its verdict is unknown, not passed.'],
    ['zh', '检查 boom 未能完成（exploded）；其结论未知，并非通过。'],
  ] as [Lang, string][])('a check that throws is check-could-not-finish, never a pass (%s)', async (lang, message) => {
    const { report } = await findingsOf(checkOf('boom', () => Promise.reject(new Error('exploded'))), ['netease'], lang);
    expect(report.checks[0]!.status).toBe('crashed');
    expect(report.findings.map((f) => [f.rule, f.severity, f.message])).toEqual([['check-could-not-finish', 'warning', message]]);
  });
});
