// Loaded with `node --import` by bench/faults.js: the process reports its own peak RSS as it exits.
process.on('exit', () => process.stderr.write(`peak-rss-kb ${process.resourceUsage().maxRSS}\n`));
