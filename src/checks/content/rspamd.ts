import { askRspamd } from '../../engines/rspamd.js';
import { engineCheck } from './engine-check.js';

export const rspamdCheck = engineCheck({
  id: 'content-rspamd',
  name: 'rspamd',
  flag: '--rspamd',
  where: (data) => data.contentEngines?.rspamd,
  ask: (data, raw, inputs) =>
    askRspamd(data.contentEngines.rspamd!, raw, {
      ...(inputs.ip ? { ip: inputs.ip } : {}),
      ...(inputs.helo ? { helo: inputs.helo } : {}),
      mailFrom: inputs.mailFrom,
      rcpt: inputs.rcpt,
      ...(inputs.account ? { user: inputs.account } : {}),
    }),
});
