/** What a domain run loads once its first questions are on the wire (see run/domain.ts). */
export { checkTarget, createSession } from '../../engine/session.js';
export { exitStatus } from '../../engine/verdict.js';
export { forEachConcurrent } from '../../engine/pool.js';
export { ndjsonLine, renderReports } from './render.js';
export { progressBar } from './progress.js';
