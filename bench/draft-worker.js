// One measurement in a fresh process, so peak RSS belongs to one tool and one file:
// node bench/draft-worker.js <presend|postal-mime|mailparser> <file> <repeats>
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

const [tool, file, repeatsText] = process.argv.slice(2);
const repeats = Number(repeatsText ?? 1);

/** presend's modules and profile load once per process, as in one `presend eml` call over many files. */
let presend;
async function loadPresend() {
  const [{ readMessage }, { emlInputs }, { run }, { allChecks }, { loadProfile }, { DnsClient }, { ZoneSet }, { loadContentModel }] = await Promise.all([
    import('../dist/message/read.js'),
    import('../dist/engine/inputs.js'),
    import('../dist/engine/run.js'),
    import('../dist/checks/index.js'),
    import('../dist/profile/load.js'),
    import('../dist/dns/client.js'),
    import('../dist/dns/zone.js'),
    import('../dist/profile/content-model.js'),
  ]);
  const contentModel = loadContentModel();
  return { readMessage, emlInputs, run, allChecks, profile: loadProfile(), DnsClient, ZoneSet, data: { dnsbl: [], contentModel: () => contentModel, contentEngines: {} } };
}

async function once() {
  if (tool === 'presend') {
    presend ??= await loadPresend();
    const { readMessage, emlInputs, run, allChecks, profile, DnsClient, ZoneSet, data } = presend;
    const dns = new DnsClient({ servers: ['127.0.0.1:9'], timeoutMs: 100, tries: 1, zones: new ZoneSet([]), offline: true, budget: 0 });
    const message = await readMessage(file);
    await run(emlInputs(message, { offline: true }), { profiles: [profile], checks: allChecks, dns, lang: 'en', data, dnsAvailable: false });
    return message.rawSize;
  }
  const raw = await readFile(file);
  if (tool === 'postal-mime') {
    const { default: PostalMime } = await import('postal-mime');
    await PostalMime.parse(raw);
  } else {
    const { simpleParser } = await import('mailparser');
    await simpleParser(raw);
  }
  return raw.length;
}

await once(); // warm-up: module loading is start-up, not throughput
const started = performance.now();
let bytes = 0;
for (let i = 0; i < repeats; i++) bytes += await once();
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ tool, file, bytes, ms, mbPerS: bytes / (1024 * 1024) / (ms / 1000), peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
