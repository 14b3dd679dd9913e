/**
 * A session whose targets share what they can: a stream of messages from few senders (the
 * sink). Apart from engine/session.ts so that a run that shares nothing — a draft, a domain,
 * a batch of distinct domains — never loads the caches (lru-cache, and node:perf_hooks behind
 * it: ≈ 1 ms of start-up).
 */
import { SharedDnsCache } from '../dns/shared-cache.js';
import { ObservationMemo } from './memo.js';
import { createSession, type Session, type SessionOptions } from './session.js';

export interface SharingOptions {
  /**
   * Also share the observations of checks with a memo key, while the DNS answers are shared:
   * for a stream of targets from few senders, not a batch of distinct domains.
   */
  observations: boolean;
}

/** A session whose targets share DNS answers (each asked once a minute at most) and, when asked, observations. */
export function createSharedSession(options: SessionOptions, sharing: SharingOptions): Session {
  const session = createSession(options);
  const sharedDns = new SharedDnsCache();
  // Offline, a run's notes come from its own lookups (the tree walks it answered as NXDOMAIN): nothing is shared but answers.
  const memo = sharing.observations && !options.offline ? { memo: new ObservationMemo(sharedDns.maxAgeMs) } : {};
  return { ...session, sharedDns, ...memo };
}
