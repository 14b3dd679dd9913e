import type { Check } from '../engine/types.js';
import { formatBytes } from '../engine/match.js';
import { needsMessage } from './needs-message.js';

/** The encoded size of the draft as it goes over SMTP. */
export const messageSize: Check = {
  id: 'message-size',
  description: "The message fits the provider's size limit",
  needsDns: false,
  skipReason: needsMessage,
  async run({ inputs }) {
    const bytes = inputs.message!.rawSize;
    return [{ check: 'message-size', kind: 'size', data: { bytes, size: formatBytes(bytes) }, evidence: { file: inputs.message!.file, bytes } }];
  },
};
