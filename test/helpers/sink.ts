/**
 * Sinks a test file starts, each with its log kept (parsed lines and raw text), all closed
 * after each test.
 */
import { afterEach } from 'vitest';
import { startSink, type RunningSink, type SinkOptions } from '../../src/sink/server.js';

export type TestSink = RunningSink & { lines: Record<string, unknown>[]; raw: string[] };

export function sinkStarter(defaults: Omit<SinkOptions, 'log'>): (options?: Partial<SinkOptions>) => Promise<TestSink> {
  let running: RunningSink[] = [];
  afterEach(async () => {
    await Promise.all(running.map((s) => s.close()));
    running = [];
  });
  return async (options = {}) => {
    const lines: Record<string, unknown>[] = [];
    const raw: string[] = [];
    const log = (line: string) => {
      raw.push(line);
      lines.push(JSON.parse(line) as Record<string, unknown>);
    };
    const s = await startSink({ ...defaults, log, ...options });
    running.push(s);
    return { ...s, lines, raw };
  };
}
