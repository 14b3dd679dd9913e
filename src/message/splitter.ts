/**
 * @zone-eu/mailsplit's Splitter, with two bounds a hostile draft needs and the library lacks.
 * The one place presend touches its private parts (checkBoundary, compareBoundary, newNode,
 * a node's _boundary and _parentBoundaryOwner); test/message/splitter.test.ts pins them and
 * holds this splitter's output equal to the library's on real drafts.
 *
 * 1. Boundary matching independent of depth. The library compares every line that starts
 *    with "--" against the boundary of every open ancestor multipart: a draft nested 9,000
 *    deep with many such lines took minutes and blocked the sink's event loop. Here the
 *    ancestors' boundaries are an index (boundary value → nearest multipart that declares
 *    it), built once per multipart from its parent's, so a line costs one or two look-ups;
 *    the match found is confirmed by the library's own compareBoundary, so what counts as a
 *    delimiter line is exactly what it says.
 * 2. Nesting depth. A multipart deeper than MAX_MIME_DEPTH gets no children: its body is
 *    read as one opaque part, flagged `presendTooDeep`, and listed as not inspected.
 */
import { Splitter, type MimeNode } from '@zone-eu/mailsplit';

/** Multiparts inside multiparts: a part deeper than this is not split further (real mail stays under ten). */
export const MAX_MIME_DEPTH = 32;

/** The private parts of a MimeNode this adapter reads and writes. */
interface Node {
  _boundary: Buffer | false;
  _parentBoundaryOwner: Node | false;
  multipart: string | false;
  parseHeaders(): void;
  presendDepth?: number;
  presendTooDeep?: boolean;
  presendIndex?: ReadonlyMap<string, Node>;
}

/** The private parts of the Splitter this adapter overrides or calls. */
interface SplitterInternals {
  node: Node;
  inEpilogue: boolean;
  delimiterOwner: Node | false;
  compareBoundary(line: Buffer, startpos: number, boundary: Buffer): 1 | 2 | false;
}

const NO_OWNERS: ReadonlyMap<string, Node> = new Map();

/** Boundary value → the nearest multipart at or above `owner` that declares it. */
function ownersIndex(owner: Node): ReadonlyMap<string, Node> {
  if (owner.presendIndex) return owner.presendIndex;
  const outer = owner._parentBoundaryOwner ? ownersIndex(owner._parentBoundaryOwner) : NO_OWNERS;
  owner.presendIndex = owner._boundary ? new Map(outer).set(owner._boundary.toString('latin1'), owner) : outer;
  return owner.presendIndex;
}

/**
 * The boundary values a delimiter line could carry: what follows "--", less the line
 * ending, trailing SP/HTAB and, for a closing delimiter, its "--" (the forms
 * compareBoundary accepts).
 */
function candidates(line: Buffer, startpos: number): string[] {
  let end = line.length;
  while (end > startpos && (line[end - 1] === 0x0a || line[end - 1] === 0x0d)) end--;
  while (end > startpos && (line[end - 1] === 0x20 || line[end - 1] === 0x09)) end--;
  const value = line.toString('latin1', startpos + 2, end);
  if (!value.endsWith('--')) return [value];
  return [value, value.slice(0, -2).replace(/[ \t]+$/, '')];
}

export class BoundedSplitter extends Splitter {
  /** As the library's, but the ancestors are looked up, not walked. */
  checkBoundary(line: Buffer): 1 | 2 | 3 | 4 | false {
    const self = this as unknown as SplitterInternals;
    let startpos = 0;
    if (line.length >= 1 && (line[0] === 0x0d || line[0] === 0x0a)) {
      startpos++;
      if (line.length >= 2 && line[0] === 0x0d && line[1] === 0x0a) startpos++;
    }
    if (line.length < 4 || line[startpos] !== 0x2d || line[startpos + 1] !== 0x2d) return false;
    const own = self.node._boundary;
    const mine = !self.inEpilogue && own ? self.compareBoundary(line, startpos, own) : false;
    if (mine) return mine;
    const first = self.node._parentBoundaryOwner;
    if (!first) return false;
    const index = ownersIndex(first);
    const hits = candidates(line, startpos)
      .map((value) => index.get(value))
      .filter((owner): owner is Node => owner !== undefined)
      .sort((a, b) => (b.presendDepth ?? 0) - (a.presendDepth ?? 0));
    for (const owner of hits) {
      const found = self.compareBoundary(line, startpos, owner._boundary as Buffer);
      if (found) {
        self.delimiterOwner = owner;
        return (found + 2) as 3 | 4;
      }
    }
    return false;
  }

  /** As the library's, and the new node learns its depth; one past the bound is split no further. */
  newNode(parent?: MimeNode | false): void {
    (Splitter.prototype as unknown as { newNode(parent?: MimeNode | false): void }).newNode.call(this, parent);
    const node = (this as unknown as SplitterInternals).node;
    const depth = parent ? ((parent as unknown as Node).presendDepth ?? 0) + 1 : 0;
    node.presendDepth = depth;
    if (depth < MAX_MIME_DEPTH) return;
    const parse = node.parseHeaders.bind(node);
    node.parseHeaders = () => {
      parse();
      if (!node.multipart) return;
      node.multipart = false;
      node._boundary = false;
      node.presendTooDeep = true;
    };
  }
}

/** Whether a part is a multipart nested past MAX_MIME_DEPTH, whose inside was not split. */
export const tooDeep = (node: MimeNode): boolean => (node as unknown as Node).presendTooDeep === true;
