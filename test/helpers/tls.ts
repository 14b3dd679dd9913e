/**
 * A test certificate authority and a server certificate it signed for 127.0.0.1 and
 * localhost, made with the machine's openssl: what a test passes to `--ca-file` so TLS
 * verifies for real, beside servers whose certificates do not (self-signed, wrong name).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  /** The CA's certificate, as a PEM file path and its text. */
  caFile: string;
  ca: string;
  /** A server certificate and key signed by the CA, valid for 127.0.0.1 and localhost. */
  cert: string;
  key: string;
  /** A self-signed certificate and key for the same names: no CA vouches for it. */
  selfSignedCert: string;
  selfSignedKey: string;
  /** A certificate the CA signed for another name only (wrong.example). */
  wrongNameCert: string;
  wrongNameKey: string;
  /** With makeTestPki(names): a certificate the CA signed for those DNS names, valid for `namedDays` (default 90). */
  namedCert?: string;
  namedKey?: string;
  remove(): void;
}

const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });

function leaf(dir: string, name: string, san: string, signer: 'ca' | 'self', days = 2): void {
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`);
  openssl(dir, ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-subj', `/CN=${name}`, '-out', `${name}.csr`]);
  const sign = signer === 'ca' ? ['-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial'] : ['-signkey', `${name}.key`];
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, ...sign, '-days', String(days), '-extfile', `${name}.ext`, '-out', `${name}.pem`]);
}

export function makeTestPki(names: string[] = [], namedDays = 90): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'presend-pki-'));
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-subj', '/CN=presend test CA', '-days', '2', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', 'ca.pem']);
  leaf(dir, 'server', 'IP:127.0.0.1,DNS:localhost', 'ca');
  leaf(dir, 'self', 'IP:127.0.0.1,DNS:localhost', 'self');
  leaf(dir, 'wrong', 'DNS:wrong.example', 'ca');
  if (names.length > 0) leaf(dir, 'named', names.map((n) => `DNS:${n}`).join(','), 'ca', namedDays);
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  return {
    caFile: join(dir, 'ca.pem'),
    ca: read('ca.pem'),
    cert: read('server.pem'),
    key: read('server.key'),
    selfSignedCert: read('self.pem'),
    selfSignedKey: read('self.key'),
    wrongNameCert: read('wrong.pem'),
    wrongNameKey: read('wrong.key'),
    ...(names.length > 0 ? { namedCert: read('named.pem'), namedKey: read('named.key') } : {}),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
