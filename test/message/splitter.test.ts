/**
 * The mailsplit adapter (src/message/splitter.ts): the library's private parts it relies on
 * are pinned here, its output is held equal to the library's on real and mutated drafts
 * (below the depth bound), and a hostile draft nested thousands deep costs a bounded number
 * of boundary comparisons per line and is listed as not inspected past the bound (issue 23).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Splitter, type MimeNode } from '@zone-eu/mailsplit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageFacts } from '../../src/message/read.js';
import { BoundedSplitter, MAX_MIME_DEPTH } from '../../src/message/splitter.js';

/** Everything a splitter emits, as comparable text: nodes by part number and type, data and body bytes. */
async function split(make: () => NodeJS.ReadWriteStream, raw: Buffer): Promise<string[]> {
  const splitter = make();
  const out: string[] = [];
  const done = (async () => {
    for await (const data of splitter as unknown as AsyncIterable<MimeNode | { type: string; value: Buffer }>) {
      if (data.type === 'node') {
        const node = data as MimeNode & { partNr?: string[] };
        out.push(`node ${(node.partNr ?? []).join('.')} ${node.contentType ?? ''} ${node.multipart || ''}`);
      } else out.push(`${data.type} ${(data as { value: Buffer }).value.toString('latin1')}`);
    }
  })();
  Readable.from([raw]).pipe(splitter as unknown as NodeJS.WritableStream);
  try {
    await done;
  } catch (err) {
    out.push(`error ${(err as Error).message}`);
  }
  return out;
}

const options = { ignoreEmbedded: true, maxHeadSize: 2 * 1024 * 1024, maxChildNodes: 10_000 };
const library = () => new Splitter(options) as unknown as NodeJS.ReadWriteStream;
const bounded = () => new BoundedSplitter(options) as unknown as NodeJS.ReadWriteStream;

/** A multipart nested `depth` deep, with sibling and closing delimiters of outer levels, trailing blanks and an inner multipart never closed. */
function nested(depth: number, extraLines: string[] = []): Buffer {
  const parts = ['From: a@shop.example\r\nSubject: nested\r\nMIME-Version: 1.0\r\n'];
  for (let i = 0; i < depth; i++) parts.push(`Content-Type: multipart/mixed; boundary="b${i % 3 === 0 ? 'same' : i}"\r\n\r\npreamble ${i}\r\n--b${i % 3 === 0 ? 'same' : i}\r\n`);
  parts.push('Content-Type: text/plain\r\n\r\nhello\r\n', ...extraLines.map((l) => `${l}\r\n`));
  parts.push(`--b${depth > 2 ? 2 : 1} \t\r\nContent-Type: text/html\r\n\r\n<p>sibling of an outer level</p>\r\n`);
  for (let i = Math.min(depth, 2) - 1; i >= 0; i--) parts.push(`--b${i % 3 === 0 ? 'same' : i}--  \r\nepilogue ${i}\r\n`);
  return Buffer.from(parts.join(''));
}

describe("mailsplit's private parts this adapter relies on are still there", () => {
  it('Splitter has checkBoundary, compareBoundary and newNode; a multipart node has _boundary and _parentBoundaryOwner', async () => {
    const proto = Splitter.prototype as unknown as Record<string, unknown>;
    for (const name of ['checkBoundary', 'compareBoundary', 'newNode']) expect(typeof proto[name]).toBe('function');
    const splitter = new Splitter(options);
    const nodes: Record<string, unknown>[] = [];
    splitter.on('data', (d) => d.type === 'node' && nodes.push(d as unknown as Record<string, unknown>));
    await new Promise((resolve) => {
      splitter.on('end', resolve);
      splitter.end(nested(2));
    });
    expect(Buffer.isBuffer(nodes[0]!._boundary)).toBe(true);
    expect(nodes[1]!._parentBoundaryOwner).toBe(nodes[0]);
    const compare = (splitter as unknown as { compareBoundary(l: Buffer, s: number, b: Buffer): number | false }).compareBoundary.bind(splitter);
    expect([compare(Buffer.from('--abc\r\n'), 0, Buffer.from('abc')), compare(Buffer.from('--abc-- \r\n'), 0, Buffer.from('abc')), compare(Buffer.from('--abcd\r\n'), 0, Buffer.from('abc'))]).toEqual([1, 2, false]);
  });
});

describe('the bounded splitter says what the library says', () => {
  const drafts = readdirSync('fixtures/drafts').filter((f) => f.endsWith('.eml'));
  it.each(drafts)('%s', async (file) => {
    const raw = readFileSync(`fixtures/drafts/${file}`);
    expect(await split(bounded, raw)).toEqual(await split(library, raw));
  });

  it.each([1, 2, 5, 12, MAX_MIME_DEPTH - 1])('a multipart %i deep with delimiters of outer levels', async (depth) => {
    const raw = nested(depth, ['--b1', '--same--', '--b2x', '-- b1', '--']);
    expect(await split(bounded, raw)).toEqual(await split(library, raw));
  });

  it('on mutated drafts (delimiters inserted, cut, duplicated)', async () => {
    const seeds = [nested(4), nested(7, ['--b1']), ...drafts.slice(0, 12).map((f) => readFileSync(`fixtures/drafts/${f}`))];
    const inserts = ['\r\n--b1\r\n', '\r\n--same--\r\n', '\r\n--b4 \r\n', 'Content-Type: multipart/alternative; boundary="b1"\r\n\r\n', '\r\n\r\n'];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: inserts.length - 1 })), { maxLength: 5 }), async (seed, edits) => {
        let raw = seeds[seed]!;
        for (const [pos, which] of edits) {
          const at = pos % (raw.length + 1);
          raw = Buffer.concat([raw.subarray(0, at), Buffer.from(inserts[which]!), raw.subarray(at)]);
        }
        expect(await split(bounded, raw)).toEqual(await split(library, raw));
      }),
      { numRuns: 150 },
    );
  });
});

describe('a draft nested thousands deep', () => {
  const deep = nested(9_000, Array.from({ length: 2_000 }, (_, i) => `--b${i % 7}x`));

  it('costs at most a few boundary comparisons per line, whatever the depth', async () => {
    const splitter = new BoundedSplitter(options);
    let comparisons = 0;
    const compare = (splitter as unknown as { compareBoundary: (...args: unknown[]) => unknown }).compareBoundary;
    (splitter as unknown as { compareBoundary: (...args: unknown[]) => unknown }).compareBoundary = function (...args: unknown[]) {
      comparisons++;
      return compare.apply(this, args);
    };
    const lines = deep.toString('latin1').split('\n').length;
    await split(() => splitter as unknown as NodeJS.ReadWriteStream, deep);
    expect(comparisons).toBeLessThanOrEqual(3 * lines);
  });

  it(`is split ${MAX_MIME_DEPTH} deep and no deeper: the rest is listed as not inspected`, async () => {
    const facts = await messageFacts('deep.eml', deep);
    expect(facts.attachments).toContainEqual(expect.objectContaining({ declaredType: 'multipart/mixed', notInspected: expect.objectContaining({ en: `MIME parts nested deeper than ${MAX_MIME_DEPTH}` }) }));
  });
});
