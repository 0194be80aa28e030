/** A throwaway self-signed certificate for 127.0.0.1 (openssl from the base system), for TLS tests. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SelfSigned {
  readonly dir: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
  remove(): void;
}

export function selfSignedCertificate(commonName = '127.0.0.1'): SelfSigned {
  const dir = mkdtempSync(join(tmpdir(), 'librenms-exporter-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      `subjectAltName=IP:${commonName}`,
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return {
    dir,
    certFile,
    keyFile,
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface ClientCertificates {
  readonly dir: string;
  /** The CA that signs client certificates (PEM file), for `client_ca_file`. */
  readonly caFile: string;
  /** A client certificate signed by that CA, and its key (PEM text). */
  readonly cert: string;
  readonly key: string;
  /** A client certificate signed by another CA (PEM text), and its key. */
  readonly strangerCert: string;
  readonly strangerKey: string;
  remove(): void;
}

/** A throwaway CA with one client certificate it signed, and one it did not (openssl from the base system). */
export function clientCertificates(): ClientCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'librenms-exporter-client-ca-'));
  const file = (name: string): string => join(dir, name);
  const openssl = (args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore', cwd: dir });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  for (const ca of ['ca', 'other-ca']) openssl(['req', '-x509', ...ec, '-days', '2', '-subj', `/CN=${ca}`, '-keyout', `${ca}.key`, '-out', `${ca}.pem`]);
  for (const [client, ca] of [
    ['client', 'ca'],
    ['stranger', 'other-ca'],
  ] as const) {
    openssl(['req', ...ec, '-subj', `/CN=${client}`, '-keyout', `${client}.key`, '-out', `${client}.csr`]);
    openssl(['x509', '-req', '-in', `${client}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2', '-out', `${client}.pem`]);
  }
  const read = (name: string): string => readFileSync(file(name), 'utf8');
  return {
    dir,
    caFile: file('ca.pem'),
    cert: read('client.pem'),
    key: read('client.key'),
    strangerCert: read('stranger.pem'),
    strangerKey: read('stranger.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
