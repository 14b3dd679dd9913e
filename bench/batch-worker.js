// Runs `presend domain --file LIST --format ndjson` in this process and reports its own peak RSS
// on stderr: node bench/batch-worker.js <list> <resolver>
import { main } from '../dist/cli/main.js';

const [list, resolver] = process.argv.slice(2);
await main(['node', 'presend', 'domain', '--file', list, '--resolver', resolver, '--format', 'ndjson', '--dnsbl', 'bl.spamcop.net', '--fail-on', 'never', '--concurrency', '32']);
process.stderr.write(JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
