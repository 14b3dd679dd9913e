/**
 * presend as a library: the same pipeline the CLI runs.
 *
 *   const session = createSession({ lang: 'en', servers: [], zoneFiles: [], offline: false });
 *   const report = await checkTarget(session, domainInputs('example.com', { ip: '203.0.113.5', helo: 'mail.example.com' }));
 *   const draft = await checkTarget(session, emlInputs(await readMessage('draft.eml'), { ip: '203.0.113.5' }));
 */
export { createSession, checkTarget, type Session, type SessionOptions } from './engine/session.js';
export { createSharedSession, type SharingOptions } from './engine/shared-session.js';
export { domainInputs, emlInputs, type EnvelopeOptions } from './engine/inputs.js';
export { exitStatus, verdictOf, type FailOn } from './engine/verdict.js';
export { UsageError } from './errors.js';
export type { Check, Finding, Inputs, Observation, Report, Severity, Verdict } from './engine/types.js';
export { readMessage, messageFacts } from './message/read.js';
export { explain, explainAcross, type Explanation } from './explain/explain.js';
export { bounceText } from './explain/bounce-file.js';
// The library validates any profile it is given, compiled or not.
import './profile/validate.js';
export { loadProfile, type Profile } from './profile/load.js';
export { knownProviders, profilePathsFor } from './profile/providers.js';
export { allChecks } from './checks/index.js';
export { formatJson } from './report/json.js';
export { formatSarif } from './report/sarif.js';
export { formatJunit } from './report/junit.js';
export { formatGithub } from './report/github.js';
export { startZoneServer, type RunningZoneServer } from './dns/zone-server.js';
export { Zone, ZoneSet, loadZoneFile, zoneFromText } from './dns/zone.js';
