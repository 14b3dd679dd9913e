import type { Check } from '../engine/types.js';
import { heloPresent } from './helo-present.js';
import { nullSender } from './null-sender.js';
import { senderSyntax } from './sender-syntax.js';

/** Every check, in the order reports list them. */
export const allChecks: readonly Check[] = [heloPresent, nullSender, senderSyntax];
