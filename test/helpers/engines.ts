// The engines' launcher is shared with bench:content (scripts/spam-engines.js, plain JavaScript).
// @ts-expect-error: a plain ES module of the build scripts, without types.
export { hasBinary, startRspamd, startSpamd } from '../../scripts/spam-engines.js';

export interface RunningEngine {
  address: string;
  stop(): Promise<void>;
}
