/**
 * Milliseconds on a monotonic clock, for how long a check or a DNS question took. The same
 * clock as performance.now(), without it: the global `performance` loads node:perf_hooks on
 * first use (≈ 1 ms of every checking run's start-up).
 */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
