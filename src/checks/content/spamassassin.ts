import { askSpamd } from '../../engines/spamd.js';
import { engineCheck } from './engine-check.js';

export const spamassassinCheck = engineCheck({
  id: 'content-spamassassin',
  name: 'SpamAssassin',
  flag: '--spamd',
  where: (data) => (data.contentEngines?.spamd ? `${data.contentEngines.spamd.host}:${data.contentEngines.spamd.port}` : undefined),
  ask: (data, raw) => askSpamd(data.contentEngines.spamd!, raw),
});
