/**
 * Trust anchors: the root zone's key-signing keys as IANA publishes them
 * (https://data.iana.org/root-anchors/root-anchors.xml: KSK-2017, key tag 20326, and
 * KSK-2024, key tag 38696), or DS records read from `--trust-anchor <file>` — a private
 * root for tests, or a zone of your own whose parent is unsigned.
 */
import { UsageError } from '../errors.js';
import { dnssecName } from './rrset.js';
import type { TrustAnchor } from './validator.js';

const IANA_ROOT = [
  '. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D',
  '. IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16',
].join('\n');

/** At most this many anchors from one file. */
const MAX_ANCHORS = 64;

/** DS records in presentation format, one a line (`owner [ttl] [IN] DS tag algorithm digest-type hex…`), `;` comments. */
export function parseTrustAnchors(text: string, source: string): TrustAnchor[] {
  const anchors: TrustAnchor[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/;.*/, '').trim();
    if (line === '') return;
    const tokens = line.split(/\s+/);
    const at = tokens.findIndex((t, k) => k > 0 && t.toUpperCase() === 'DS');
    const [tag, algorithm, digestType, ...hex] = at > 0 ? tokens.slice(at + 1) : [];
    const digest = hex.join('');
    if (at < 0 || !/^\d+$/.test(tag ?? '') || !/^\d+$/.test(algorithm ?? '') || !/^\d+$/.test(digestType ?? '') || !/^([0-9a-f]{2})+$/i.test(digest)) {
      throw new UsageError(`${source}:${i + 1}: expected a DS record (owner IN DS key-tag algorithm digest-type digest)`);
    }
    anchors.push({ owner: dnssecName(tokens[0]!), ds: { keyTag: Number(tag), algorithm: Number(algorithm), digestType: Number(digestType), digest: Buffer.from(digest, 'hex') } });
  });
  if (anchors.length === 0) throw new UsageError(`${source}: no DS record in it`);
  if (anchors.length > MAX_ANCHORS) throw new UsageError(`${source}: more than ${MAX_ANCHORS} trust anchors`);
  return anchors;
}

export const rootTrustAnchors = (): TrustAnchor[] => parseTrustAnchors(IANA_ROOT, 'IANA root anchors');
