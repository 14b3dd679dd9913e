// The real filters beside presend in bench:content, in the same run: rspamd (HTTP /checkv2)
// and SpamAssassin (spamd), started on loopback with network checks off where Debian's
// packages are installed, asked through presend's own clients. Absent ones are left out.
import { askRspamd } from '../dist/engines/rspamd.js';
import { askSpamd } from '../dist/engines/spamd.js';
import { hasBinary, startRspamd, startSpamd } from '../scripts/spam-engines.js';

export async function peerEngines() {
  const engines = [];
  if (hasBinary('rspamd')) {
    const rspamd = await startRspamd();
    engines.push({ name: 'rspamd', close: rspamd.stop, judge: (draft, inputs) => askRspamd(rspamd.address, draft, { mailFrom: inputs.mailFrom, rcpt: inputs.rcpt }).catch(() => null) });
  } else console.log('rspamd: not installed, left out');
  if (hasBinary('spamd')) {
    const spamd = await startSpamd();
    const [host, port] = spamd.address.split(':');
    engines.push({ name: 'spamassassin', close: spamd.stop, judge: (draft) => askSpamd({ host, port: Number(port) }, draft).catch(() => null) });
  } else console.log('spamd: not installed, left out');
  return engines;
}
