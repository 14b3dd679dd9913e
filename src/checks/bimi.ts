/**
 * BIMI for the From domain (draft-brand-indicators-for-message-identification): the
 * `default._bimi` record (the organizational domain's when the domain has none), the logo
 * fetched over verified HTTPS and held to SVG Tiny Portable/Secure (version 1.2, baseProfile
 * tiny-ps, a title, no script, no external reference, 32 KB), and DMARC at enforcement, which
 * Gmail and Yahoo require before they show a logo; the VMC/CMC (`a=`) fetched the same way
 * and verified (checks/vmc.ts): chain, BIMI usage, the domain, and the same logo as `l=`.
 */
import { XMLParser } from 'fast-xml-parser';
import { couldNotCheck, outcomeProse, txtValues } from '../dns/records.js';
import type { DnsClient } from '../dns/client.js';
import type { Check, Observation, ProfileData } from '../engine/types.js';
import { certificateProblem } from '../net/certificate-errors.js';
import { hostAddress } from '../net/host-address.js';
import { domainOf } from '../message/address.js';
import { organizationalDomain } from '../message/organization.js';
import type { Prose } from '../prose.js';

/** The BIMI Group's SVG P/S guidance: logos under 32 KB. */
const MAX_LOGO_BYTES = 32 * 1024;
/** A mark certificate bundle (a leaf with its embedded logo, and intermediates) is far below this. */
const MAX_VMC_BYTES = 256 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

function observe(kind: string, domain: string, status: string, detail: Prose, evidence: Record<string, unknown>, undecided = false): Observation {
  return { check: 'bimi', kind: undecided ? 'fault' : kind, data: { domain, status }, prose: { detail }, evidence, ...(undecided ? { undecided: detail } : {}) };
}

/**
 * The tags of a BIMI record, or why it is not one (draft-brand-indicators-for-message-
 * identification §4.3): each tag once; l= and a= https: URLs; avp= brand or personal; lps=
 * local-parts of letters, digits and hyphens. Tags it does not define are ignored, as
 * receivers do.
 */
export function parseBimi(record: string): { l?: string; a?: string } | string {
  const tags = new Map<string, string>();
  const fields = record.split(';').map((f) => f.trim()).filter(Boolean);
  if (fields[0] !== 'v=BIMI1') return 'it does not begin with v=BIMI1';
  for (const field of fields.slice(1)) {
    const eq = field.indexOf('=');
    if (eq < 1) return `"${field}" is not tag=value`;
    const tag = field.slice(0, eq).trim().toLowerCase();
    if (tags.has(tag)) return `the ${tag}= tag appears twice`;
    tags.set(tag, field.slice(eq + 1).trim());
  }
  const l = tags.get('l');
  const a = tags.get('a');
  const avp = tags.get('avp');
  const lps = tags.get('lps');
  if (l && !/^https:\/\/\S+$/i.test(l)) return `l= must be an https: URL (${l})`;
  if (a && !/^https:\/\/\S+$/i.test(a)) return `a= must be an https: URL (${a})`;
  if (avp !== undefined && !/^(brand|personal)$/i.test(avp)) return `avp= must be brand or personal (${avp})`;
  if (lps !== undefined && !lps.split(',').every((p) => /^[A-Za-z0-9-]+$/.test(p.trim()))) return `lps= must list local-parts of letters, digits and hyphens (${lps})`;
  return { ...(l ? { l } : {}), ...(a ? { a } : {}) };
}

interface SvgNode {
  [key: string]: unknown;
}

/** What keeps an SVG from being SVG Tiny P/S, the profile BIMI requires (empty: none). */
export function svgTinyPsProblems(svg: string): string[] {
  let doc: SvgNode;
  try {
    doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', preserveOrder: false, processEntities: false, allowBooleanAttributes: true }).parse(svg) as SvgNode;
  } catch (err) {
    return [`not well-formed XML (${(err as Error).message.split('\n')[0]})`];
  }
  const root = doc.svg as SvgNode | undefined;
  if (!root || typeof root !== 'object') return ['the root element is not <svg>'];
  const problems: string[] = [];
  if (root['@version'] !== '1.2') problems.push('the root <svg> is not version="1.2"');
  if (root['@baseProfile'] !== 'tiny-ps') problems.push('the root <svg> is not baseProfile="tiny-ps"');
  if (root['@x'] !== undefined || root['@y'] !== undefined) problems.push('the root <svg> has x= or y= attributes');
  if (root.title === undefined) problems.push('it has no <title>');
  const seen = { script: false, handler: false, external: false, image: false };
  const walk = (node: unknown, depth: number): void => {
    if (depth > 64 || node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as SvgNode)) {
      if (key === 'script' || key === 'foreignObject') seen.script = true;
      if (key === 'image') seen.image = true;
      if (key.startsWith('@on')) seen.handler = true;
      if ((key === '@href' || key === '@xlink:href') && typeof value === 'string' && !value.startsWith('#')) seen.external = true;
      if (Array.isArray(value)) value.forEach((v) => walk(v, depth + 1));
      else walk(value, depth + 1);
    }
  };
  walk(root, 0);
  if (seen.script) problems.push('it has <script> or <foreignObject>');
  if (seen.handler) problems.push('it has event handler attributes (on…)');
  if (seen.external) problems.push('it refers to something outside itself (href)');
  if (seen.image) problems.push('it embeds an <image>');
  return problems;
}

/** A file the record names (the logo, the certificate), over verified HTTPS, at most `maxBytes`. */
async function fetchAsset(url: string, dns: DnsClient, data: ProfileData, offline: boolean, maxBytes: number): Promise<{ body: Buffer; type: string } | { problem: Prose; undecided?: boolean }> {
  const { hostname, pathname, search } = new URL(url);
  const found = await hostAddress(dns, hostname, offline);
  if (found.status === 'none') return { problem: { en: `the host ${hostname} has no address`, zh: `主机 ${hostname} 没有地址` } };
  if (found.status !== 'address') return { problem: found.why, undecided: true };
  const { address } = found;
  const { httpsGet } = await import('../net/https-get.js');
  try {
    const got = await httpsGet({ host: hostname, path: `${pathname}${search}`, address, ...(data.extraCa ? { extraCa: data.extraCa } : {}), timeoutMs: FETCH_TIMEOUT_MS, maxBytes: maxBytes + 1 });
    if (got.status !== 200) return { problem: { en: `${url} answered HTTP ${got.status}`, zh: `${url} 返回 HTTP ${got.status}` } };
    if (got.truncated || got.body.length > maxBytes) return { problem: { en: `${url} is larger than ${maxBytes / 1024} KB`, zh: `${url} 超过 ${maxBytes / 1024} KB` } };
    return { body: got.body, type: got.contentType };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const certificate = certificateProblem(e.code ?? '') !== null;
    return { problem: { en: `could not fetch ${url} (${e.code ?? e.message})`, zh: `无法获取 ${url}（${e.code ?? e.message}）` }, undecided: !certificate };
  }
}

/** DMARC at enforcement as BIMI requires it: p=quarantine or p=reject for every message (pct=100), and no sp=none. */
export function dmarcEnforced(record: string): boolean {
  const tags = new Map(record.split(';').map((f) => f.trim().split('=').map((v) => v.trim().toLowerCase()) as [string, string]));
  const p = tags.get('p');
  const pct = Number(tags.get('pct') ?? '100');
  return (p === 'reject' || p === 'quarantine') && pct === 100 && tags.get('sp') !== 'none';
}

/** What keeps a fetched logo from being shown: its size (32 KB at most), then its SVG profile. */
export function logoProblems(body: Buffer): string[] {
  if (body.length > MAX_LOGO_BYTES) return ['it is larger than 32 KB'];
  return svgTinyPsProblems(body.toString('utf8'));
}

export const bimiCheck: Check = {
  id: 'bimi',
  description: 'BIMI: the record, the logo as SVG Tiny P/S over HTTPS, DMARC at enforcement',
  needsDns: true,
  after: ['dmarc'],
  skipReason: (inputs) => (domainOf(inputs.from) === '' ? 'no header From' : null),
  async run({ inputs, dns, data, observationsOf }) {
    const domain = domainOf(inputs.from);
    const org = organizationalDomain(domain);
    const names = [`default._bimi.${domain}`, ...(org !== domain ? [`default._bimi.${org}`] : [])];
    let records: string[] = [];
    let at = names[0]!;
    for (const name of names) {
      const txt = await dns.query(name, 'TXT');
      if (couldNotCheck(txt)) return [observe('record', domain, 'could-not-check', { en: `the ${name} lookup failed (${outcomeProse(txt).en})`, zh: `${name} 查询失败（${outcomeProse(txt).zh}）` }, { query: `TXT ${name}` }, true)];
      records = txtValues(txt).filter((t) => /^v=BIMI1/i.test(t.trim()));
      at = name;
      if (records.length > 0) break;
    }
    if (records.length === 0) return [];
    if (records.length > 1) return [observe('record', domain, 'invalid', { en: `${at} has ${records.length} BIMI records; one is allowed`, zh: `${at} 有 ${records.length} 条 BIMI 记录；只允许一条` }, { records })];
    const parsed = parseBimi(records[0]!.trim());
    if (typeof parsed === 'string') return [observe('record', domain, 'invalid', { en: `${at} "${records[0]}" is not valid: ${parsed}`, zh: `${at}“${records[0]}”无效（须为 v=BIMI1，l= 与 a= 只能是 https: 地址）` }, { record: records[0], problem: parsed })];
    const out: Observation[] = [];
    const dmarc = (await observationsOf('dmarc')).find((o) => o.kind === 'record' && o.data.status === 'found');
    const dmarcRecord = typeof dmarc?.evidence.record === 'string' ? dmarc.evidence.record : null;
    if (dmarcRecord === null || !dmarcEnforced(dmarcRecord)) {
      out.push(observe('dmarc', domain, 'not-enforced', { en: `DMARC for ${domain} is ${dmarcRecord ? `"${dmarcRecord}"` : 'not published'}: providers show a BIMI logo only under p=quarantine (pct=100) or p=reject`, zh: `${domain} 的 DMARC 为${dmarcRecord ? `“${dmarcRecord}”` : '未发布'}：邮箱服务商只在 p=quarantine（pct=100）或 p=reject 下显示 BIMI 徽标` }, { dmarc: dmarcRecord }));
    }
    const [logo, certificate] = await Promise.all([
      parsed.l ? fetchAsset(parsed.l, dns, data, inputs.offline, MAX_LOGO_BYTES) : null,
      parsed.a ? fetchAsset(parsed.a, dns, data, inputs.offline, MAX_VMC_BYTES) : null,
    ]);
    if (logo && 'problem' in logo) out.push(observe('logo', domain, logo.undecided ? 'could-not-check' : 'unavailable', logo.problem, { url: parsed.l }, logo.undecided));
    else if (logo) {
      const problems = [...(/svg/i.test(logo.type) ? [] : [`it is served as ${logo.type || 'no type'}, not image/svg+xml`]), ...logoProblems(logo.body)];
      if (problems.length > 0) out.push(observe('logo', domain, 'not-tiny-ps', { en: `the logo ${parsed.l} is not SVG Tiny P/S: ${problems.join('; ')}`, zh: `徽标 ${parsed.l} 不是 SVG Tiny P/S（${problems.length} 处问题，详见证据）` }, { url: parsed.l, problems, bytes: logo.body.length }));
    }
    if (certificate && 'problem' in certificate) out.push(observe('vmc', domain, certificate.undecided ? 'could-not-check' : 'unavailable', certificate.problem, { url: parsed.a }, certificate.undecided));
    else if (certificate) {
      const { verifyVmc } = await import('./vmc.js');
      const verdict = await verifyVmc(certificate.body, domain, logo && !('problem' in logo) ? logo.body : null, data.extraCa);
      if (verdict.status === 'invalid') out.push(observe('vmc', domain, 'invalid', { en: `the mark certificate ${parsed.a}: ${verdict.problem.en}`, zh: `标志证书 ${parsed.a}：${verdict.problem.zh}` }, { url: parsed.a, code: verdict.code }));
      else out.push(observe('vmc', domain, 'ok', { en: `a ${verdict.type} for ${verdict.subject}, valid to ${verdict.validTo}`, zh: `${verdict.subject} 的 ${verdict.type}，有效期至 ${verdict.validTo}` }, { url: parsed.a, type: verdict.type, validTo: verdict.validTo }));
    }
    return out;
  },
};
