import type { Inputs } from '../engine/types.js';

/** The skip reason of every check that reads a draft: without one it has nothing to look at. */
export const needsMessage = (inputs: Inputs): string | null => (inputs.message ? null : 'needs a draft message');
