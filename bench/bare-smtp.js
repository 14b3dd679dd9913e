// The baseline for the sink benchmark: a bare smtp-server that accepts every message,
// reading DATA to the end and nothing more. Prints its port, runs until SIGTERM.
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true,
  disableReverseLookup: true,
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => callback());
  },
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening on 127.0.0.1:${server.server.address().port}\n`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
