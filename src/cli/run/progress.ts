/**
 * A one-line progress bar on stderr, drawn only for a person at a terminal (never into logs
 * or pipes): how many are done, the rate so far and the time left at that rate.
 */
export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): { tick(): void; done(): void } {
  if (!stream.isTTY || total < 2) return { tick() {}, done() {} };
  let count = 0;
  const started = now();
  const draw = () => {
    const width = 30;
    const filled = Math.round((count / total) * width);
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0 ? count / seconds : 0;
    const pace = count > 0 && rate > 0 ? ` · ${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/s · ${durationText((total - count) / rate)} left` : '';
    stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${count}/${total}${pace}\x1b[K`);
  };
  draw();
  return {
    tick() {
      count++;
      draw();
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}

/** 75 → "1m15s", 3725 → "1h02m", 8 → "8s". */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
