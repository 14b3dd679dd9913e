import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { offlineClient } from '../helpers/dns.js';
import { allChecks } from '../../src/checks/index.js';
import { UsageError } from '../../src/errors.js';
import { emlInputs } from '../../src/engine/inputs.js';
import { run } from '../../src/engine/run.js';
import { loadProfile } from '../../src/profile/load.js';
import { loadContentModel } from '../../src/profile/content-model.js';
import { messageFacts } from '../../src/message/read.js';

const profile = loadProfile();
const contentModel = loadContentModel();
const seeds = readdirSync('fixtures/drafts')
  .filter((f) => f.endsWith('.eml'))
  .map((f) => readFileSync(`fixtures/drafts/${f}`))
  .filter((b) => b.length > 0);

/** A mutation of a real draft: cut, flipped bytes, duplicated or deleted spans, injected hostile text. */
const hostile = ['\r\n--', 'Content-Type: multipart/mixed; boundary=""', 'filename*=UTF-8\'\'%FF%FE', '=?GB2312?B?!!?=', '\0', 'From: <@>', 'PK\x03\x04', '\r\n\r\n', 'Content-Type: message/rfc822\r\n\r\n', ' '.repeat(2000)];
const mutated = fc
  .tuple(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 4 }), fc.nat(), fc.integer({ min: 0, max: hostile.length - 1 })), { maxLength: 6 }))
  .map(([seedIndex, edits]) => {
    let bytes = Buffer.from(seeds[seedIndex]!);
    for (const [pos, kind, len, h] of edits) {
      const at = bytes.length === 0 ? 0 : pos % bytes.length;
      if (kind === 0) bytes = bytes.subarray(0, at);
      else if (kind === 1) bytes[at] = (bytes[at] ?? 0) ^ 0x5a;
      else if (kind === 2) bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + (len % 512)), bytes.subarray(at)]);
      else if (kind === 3) bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + (len % 512))]);
      else bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(hostile[h]!), bytes.subarray(at)]);
    }
    return bytes;
  });
const random = fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a));
const headerish = fc
  .array(fc.tuple(fc.constantFrom('From', 'To', 'Cc', 'Content-Type', 'Content-Disposition', 'Return-Path', 'Date', 'Message-ID', 'X-Junk'), fc.string({ maxLength: 200 })), { maxLength: 12 })
  .chain((headers) => fc.string({ maxLength: 500 }).map((body) => Buffer.from(headers.map(([k, v]) => `${k}: ${v}`).join('\r\n') + '\r\n\r\n' + body)));

const offline = offlineClient();

async function checkBytes(raw: Buffer): Promise<void> {
  let message;
  try {
    message = await messageFacts('fuzz.eml', raw);
  } catch (err) {
    // The one allowed failure: a clear usage error naming the file.
    expect(err).toBeInstanceOf(UsageError);
    return;
  }
  const report = await run(emlInputs(message, { offline: true }), { profiles: [profile], checks: allChecks, dns: offline, lang: 'en', data: { dnsbl: [], contentModel: () => contentModel, contentEngines: {} }, dnsAvailable: false });
  expect(['pass', 'warn', 'fail']).toContain(report.verdict);
  expect(report.checks.filter((c) => c.status === 'crashed')).toEqual([]);
}

describe('hostile drafts never crash, hang or blow memory', () => {
  it('10,000 random and mutated messages (seeded)', async () => {
    const before = process.memoryUsage().rss;
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 6, arbitrary: mutated }, { weight: 2, arbitrary: headerish }, { weight: 2, arbitrary: random }), async (raw) => {
        await checkBytes(raw);
      }),
      { numRuns: 10_000, seed: 20261129, timeout: 2000, interruptAfterTimeLimit: 170_000 },
    );
    // Nothing retained across runs: memory stays within a generous bound.
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
  }, 180_000);

  it('a zip bomb of nested archives stops at the depth and byte budget', async () => {
    const { listZip } = await import('../../src/message/archive.js');
    const { deflateRawSync, crc32 } = await import('node:zlib');
    // Build zip(zip(zip(zip(...)))) 6 deep by hand, each holding the previous one.
    const zipOf = (name: string, data: Buffer): Buffer => {
      const compressed = deflateRawSync(data);
      const nameBytes = Buffer.from(name);
      const crc = crc32(data);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
      local.writeUInt32LE(crc, 14); local.writeUInt32LE(compressed.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(nameBytes.length, 26);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
      central.writeUInt32LE(crc, 16); central.writeUInt32LE(compressed.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(nameBytes.length, 28);
      const localPart = Buffer.concat([local, nameBytes, compressed]);
      const centralPart = Buffer.concat([central, nameBytes]);
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10); end.writeUInt32LE(centralPart.length, 12); end.writeUInt32LE(localPart.length, 16);
      return Buffer.concat([localPart, centralPart, end]);
    };
    let archive = zipOf('payload.cmd', Buffer.alloc(1024, 0x41));
    for (let i = 0; i < 6; i++) archive = zipOf(`level${i}.zip`, archive);
    const listing = await listZip(archive, { maxEntries: 100, maxDepth: 3, maxInflatedBytes: 1024 * 1024 });
    expect(listing.complete).toBe(false);
    expect(listing.detail.en).toContain('nested deeper than 3');
    expect(listing.entries.length).toBe(3);
  });
});
