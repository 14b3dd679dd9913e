/**
 * What the sink counts across connections: connections open per IP, messages per IP in
 * a sliding window, a sender's messages and recipients per day, failed logins and
 * unknown recipients per IP. Bounded: every map forgets keys nobody used for a day, and
 * holds at most MAX_KEYS of them (a client cycling addresses cannot grow it forever).
 */
const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_KEYS = 100_000;
/** The window of 451 MI:SFQ, as the seed documents it. */
const FIFTEEN_MINUTES_MS = 15 * 60 * 1000;

/** Timestamps of events per key, trimmed to a window. */
class SlidingCounts {
  private readonly events = new Map<string, number[]>();
  constructor(private readonly windowMs: number) {}

  add(key: string, now: number, n = 1): void {
    const list = this.trimmed(key, now);
    for (let i = 0; i < n; i++) list.push(now);
    this.events.delete(key);
    this.events.set(key, list);
    // Oldest-used keys go first: a Map keeps insertion order.
    while (this.events.size > MAX_KEYS) this.events.delete(this.events.keys().next().value!);
  }

  count(key: string, now: number): number {
    return this.trimmed(key, now).length;
  }

  private trimmed(key: string, now: number): number[] {
    const list = (this.events.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length === 0) this.events.delete(key);
    else this.events.set(key, list);
    return list;
  }
}

export class SinkCounters {
  private readonly open = new Map<string, number>();
  readonly messagesByIp: SlidingCounts;
  readonly messagesBySender = new SlidingCounts(DAY_MS);
  readonly messagesBySenderShort = new SlidingCounts(FIFTEEN_MINUTES_MS);
  readonly recipientsBySenderShort = new SlidingCounts(FIFTEEN_MINUTES_MS);
  readonly connectionsBySender = new SlidingCounts(DAY_MS);
  readonly authFailuresByAccount = new SlidingCounts(DAY_MS);
  readonly recipientsBySender = new SlidingCounts(DAY_MS);
  readonly authFailuresByIp = new SlidingCounts(DAY_MS);
  readonly unknownRecipientsByIp = new SlidingCounts(DAY_MS);

  constructor(windowSeconds: number) {
    this.messagesByIp = new SlidingCounts(windowSeconds * 1000);
  }

  /** Opens a connection from `ip`; returns how many were already open. */
  connect(ip: string): number {
    const before = this.open.get(ip) ?? 0;
    this.open.set(ip, before + 1);
    return before;
  }

  disconnect(ip: string): void {
    const now = (this.open.get(ip) ?? 1) - 1;
    if (now <= 0) this.open.delete(ip);
    else this.open.set(ip, now);
  }
}
