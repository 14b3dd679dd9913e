// Loaded with `node --import` for peers that take no resolver option (mailauth's CLI): every
// lookup through node:dns goes to the bench's loopback DNS server in BENCH_DNS.
import dns from 'node:dns';

if (process.env.BENCH_DNS) dns.setServers([process.env.BENCH_DNS]);
