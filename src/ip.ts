/**
 * net.isIP, with node:net loaded on first use: loading it costs ≈ 2 ms, and a run whose
 * inputs name no address (an offline draft check) never asks.
 */
export function isIP(input: string): 0 | 4 | 6 {
  return process.getBuiltinModule('node:net').isIP(input) as 0 | 4 | 6;
}

/** A loopback address (127.0.0.0/8 or ::1): what --offline still lets presend connect to. */
export function isLoopbackAddress(address: string): boolean {
  return /^127\./.test(address) || address === '::1';
}
