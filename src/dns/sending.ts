/**
 * Datagrams handed to a socket whose send has not completed, and who waits for none to
 * be left: a run that must block the event loop (loading mailauth takes ~80 ms) does so
 * once its questions are on the wire, so the answers travel while it loads. Apart from
 * the transport (wire.ts), so that waiting loads no DNS code: a run that sent nothing
 * (offline) never loads the transport at all.
 */
let sending = 0;
let sentWaiters: (() => void)[] = [];

export function questionsSent(): Promise<void> {
  if (sending === 0) return Promise.resolve();
  return new Promise((resolve) => sentWaiters.push(resolve));
}

/** Counts one send in, and returns what counts it out — once, whether the send completed or its socket was let go first. */
export function trackSend(): () => void {
  sending++;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--sending > 0) return;
    const waiters = sentWaiters;
    sentWaiters = [];
    for (const wake of waiters) wake();
  };
}
