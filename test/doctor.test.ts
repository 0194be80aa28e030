/**
 * `librenms-exporter check` (src/doctor.ts) against the LibreNMS double: the ready case and every
 * failure it names, and the built CLI (`--version`, `--help`, `check`, unknown options).
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { type DoubleOptions, type LibreNmsDouble, startLibreNmsDouble } from '../librenms-double/double.js';
import { compareVersions, EXIT_CODES, MIN_LIBRENMS_VERSION, runDoctor } from '../src/doctor/doctor.js';
import { parseVersion, readVersion } from '../src/librenms/endpoints.js';
import { VERSION } from '../src/version.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface HasTeardown {
  teardown(fn: () => unknown): void;
}

async function withDouble(tt: HasTeardown, options: DoubleOptions = {}): Promise<LibreNmsDouble> {
  const double = await startLibreNmsDouble(options);
  tt.teardown(() => double.close());
  return double;
}

async function check(env: Record<string, string>): Promise<{ code: number; text: string; lines: string[] }> {
  const lines: string[] = [];
  const code = await runDoctor(env, (line) => lines.push(line));
  return { code, text: lines.join('\n'), lines };
}

/** A port on 127.0.0.1 with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

t.test('ready: a LibreNMS that works gives exit 0 and says what the exporter will serve', async (t) => {
  const double = await withDouble(t);
  const { code, text } = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token });
  t.equal(code, EXIT_CODES.ready, text);
  t.match(text, 'accepts the API token');
  t.match(text, `LibreNMS version 26.7.0 (${MIN_LIBRENMS_VERSION} or newer is supported)`);
  t.match(text, 'Devices: 5 in LibreNMS, 4 will be exported');
  t.match(text, 'Query strings reach LibreNMS');
  // The double's own token is an admin's: ready, with a warning.
  t.match(text, 'warn  The token belongs to a LibreNMS admin');
  t.match(text, 'Alerts: /alerts answers');
  t.match(text, 'Sensors: /resources/sensors answers');
  t.match(text, "last_polled times are read in LibreNMS's zone, UTC (from /system local_date)");
  t.match(text, /Ports: \d+ will be exported/);
  t.match(text, 'Port strategy: per-device (PORTS_STRATEGY=auto, 4 devices, CONCURRENCY=4)');
  t.match(text, 'librenms_device_up{hostname="192.168.56.10"} 1');
  t.match(text, 'librenms_port_up{hostname="192.168.56.10",ifName="ether1",ifIndex="1"} 1');
  t.match(text, /librenms_port_receive_bytes_total\{hostname="192\.168\.56\.10",ifName="ether1",ifIndex="1"\} \d+/);
  t.match(text, /Ready: the exporter can serve 4 devices and \d+ ports from LibreNMS 26\.7\.0\./);
  t.notMatch(text, double.token, 'the token is never printed');
});

t.test('the configured filters count as in the exporter', async (t) => {
  const double = await withDouble(t);
  const { code, text } = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, OS_INCLUDE: 'routeros', EXPORT_ADMIN_DOWN_PORTS: 'false' });
  t.equal(code, 0, text);
  t.match(text, 'Devices: 5 in LibreNMS, 1 will be exported');
  t.match(text, /Ready: the exporter can serve 1 devices and 3 ports/, 'ether1..ether3; ether4 is admin down');
});

t.test('bulk strategy when there are more devices than CONCURRENCY', async (t) => {
  const double = await withDouble(t);
  const { code, text } = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, CONCURRENCY: '2' });
  t.equal(code, 0, text);
  t.match(text, 'Port strategy: bulk (PORTS_STRATEGY=auto, 4 devices, CONCURRENCY=2): one /ports request per refresh.');
});

t.test('per device when the bulk answer would hold more ports than PORTS_BULK_MAX_PORTS, and why', async (t) => {
  const double = await withDouble(t);
  const { code, text } = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, CONCURRENCY: '2', PORTS_BULK_MAX_PORTS: '3' });
  t.equal(code, 0, text);
  // The lab's /ports answer: every port LibreNMS holds but the deleted one, disabled devices' too.
  const answered = double.state.ports.filter((p) => !p.deleted).length;
  t.match(
    text,
    `Port strategy: per-device (PORTS_STRATEGY=auto, 4 devices, CONCURRENCY=2): one /devices/:id/ports request per device, at most 500 per refresh (PORTS_MAX_DEVICE_READS). LibreNMS's bulk /ports answer would hold about ${answered} ports, more than PORTS_BULK_MAX_PORTS=3 (what PHP's default memory_limit of 128 MB holds); if LibreNMS's memory_limit allows more, raise PORTS_BULK_MAX_PORTS.`,
  );
});

t.test('the token file is read and never printed', async (t) => {
  const double = await withDouble(t);
  const dir = mkdtempSync(join(tmpdir(), 'doctor-token-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'token'), `${double.token}\n`);
  const { code, text } = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN_FILE: join(dir, 'token') });
  t.equal(code, 0, text);
  t.match(text, 'read from LIBRENMS_TOKEN_FILE');
  t.notMatch(text, double.token);
});

t.test('invalid configuration: exit 2 with every problem listed', async (t) => {
  const { code, text } = await check({ LIBRENMS_URL: 'localhost:8000', CONCURRENCY: '0' });
  t.equal(code, EXIT_CODES.config);
  t.match(text, 'The configuration is invalid:');
  t.match(text, 'LIBRENMS_TOKEN (or LIBRENMS_TOKEN_FILE) is required');
  t.match(text, 'CONCURRENCY must be');
});

t.test('wrong token: exit 4 and the 401 sentence', async (t) => {
  const double = await withDouble(t);
  const { code, text } = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: 'not-the-right-token' });
  t.equal(code, EXIT_CODES.token, text);
  t.match(text, 'The API token was rejected (HTTP 401 on /system)');
  t.notMatch(text, 'not-the-right-token', 'not even a wrong token is printed');
});

t.test('wrong URL (nothing listens): exit 3 and the connection sentence', async (t) => {
  const port = await closedPort();
  const { code, text } = await check({ LIBRENMS_URL: `http://127.0.0.1:${port}`, LIBRENMS_TOKEN: 'x'.repeat(32) });
  t.equal(code, EXIT_CODES.unreachable, text);
  t.match(text, `Cannot connect to LibreNMS at http://127.0.0.1:${port} (ECONNREFUSED: nothing listens on that port)`);
  t.match(text, 'Check LIBRENMS_URL');
});

t.test('wrong URL (a web server that is not LibreNMS): exit 3', async (t) => {
  const server = http.createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><head><title>404 Not Found</title></head><body>nginx</body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as net.AddressInfo;
  const { code, text } = await check({ LIBRENMS_URL: `http://127.0.0.1:${port}`, LIBRENMS_TOKEN: 'x'.repeat(32) });
  t.equal(code, EXIT_CODES.unreachable, text);
  t.match(text, `http://127.0.0.1:${port}/api/v0/ is not the LibreNMS API: HTTP 404`);
});

t.test('wrong URL (LibreNMS web UI path that redirects): exit 3', async (t) => {
  const double = await withDouble(t);
  const { code, text } = await check({ LIBRENMS_URL: `${double.url}/librenms`, LIBRENMS_TOKEN: double.token });
  t.equal(code, EXIT_CODES.unreachable, text);
  t.match(text, 'is not the LibreNMS API: it answered with a redirect (HTTP 302)');
});

t.test('query strings dropped by the web server: exit 6 and the query-string sentence', async (t) => {
  const double = await withDouble(t, { ignoreQueryStrings: true });
  const { code, text } = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token });
  t.equal(code, EXIT_CODES.queryStrings, text);
  t.match(text, 'The web server in front of LibreNMS drops query strings');
  t.match(text, 'came back with only port_id and ifName');
  t.match(text, '/index.php?$query_string');
});

t.test('LibreNMS too old: exit 7; the oldest supported release is ready', async (t) => {
  t.equal(MIN_LIBRENMS_VERSION, '22.11.0', 'get_all_ports became the Eloquent query with columns= in 22.11.0');
  const double = await withDouble(t, { version: '22.10.0' });
  const { code, text } = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token });
  t.equal(code, EXIT_CODES.tooOld, text);
  t.match(text, `LibreNMS 22.10.0 is too old: this exporter needs LibreNMS ${MIN_LIBRENMS_VERSION} or newer`);
  const oldest = await withDouble(t, { version: '22.11.0' });
  const ready = await check({ LIBRENMS_URL: oldest.url, LIBRENMS_TOKEN: oldest.token });
  t.equal(ready.code, EXIT_CODES.ready, ready.text);
  const dev = await withDouble(t, { version: '22.11.0-dev.3+abcdef0' });
  t.equal((await check({ LIBRENMS_URL: dev.url, LIBRENMS_TOKEN: dev.token })).code, EXIT_CODES.tooOld, 'a dev build comes before its release');
});

t.test('LibreNMS rejecting the port columns: exit 7', async (t) => {
  const double = await withDouble(t);
  double.addFault({
    path: /\/ports$/,
    fault: { kind: 'status', status: 400, body: '{"status":"error","message":"Invalid columns: ifLastChange"}' },
  });
  const { code, text } = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token });
  t.equal(code, EXIT_CODES.tooOld, text);
  t.match(text, 'LibreNMS rejected port columns the exporter reads (Invalid columns: ifLastChange)');
});

t.test('TLS: a self-signed LibreNMS needs LIBRENMS_CA_FILE', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'doctor-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-days',
      '2',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  const double = await withDouble(t, { tls: { key: readFileSync(key), cert: readFileSync(cert) } });
  t.match(double.url, /^https:/);

  const bare = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token });
  t.equal(bare.code, EXIT_CODES.tls, bare.text);
  t.match(bare.text, 'TLS problem with LibreNMS at');
  t.match(bare.text, 'the certificate is not trusted (self-signed or from a private CA). Trust its CA with LIBRENMS_CA_FILE');

  const trusted = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, LIBRENMS_CA_FILE: cert });
  t.equal(trusted.code, 0, trusted.text);

  const plain = await withDouble(t);
  const wrongScheme = await check({ LIBRENMS_URL: plain.url.replace('http:', 'https:'), LIBRENMS_TOKEN: plain.token });
  t.equal(wrongScheme.code, EXIT_CODES.tls, wrongScheme.text);
  t.match(wrongScheme.text, 'does not speak TLS on that port. Use http:// in LIBRENMS_URL, or the HTTPS port.');
});

t.test('version comparison', async (t) => {
  t.equal(compareVersions('26.7.0', '24.1.0'), 1);
  t.equal(compareVersions('24.1.0', '24.1.0'), 0);
  t.equal(compareVersions('24.10.1-45-gabc1234', '24.9.0'), 1);
  t.equal(compareVersions('24.10.1-45-gabc1234', '24.10.1'), 1, 'a git describe comes after its tag');
  t.equal(compareVersions('24.10.1-45-gabc1234', '24.10.1-7-gdef5678'), 1);
  t.equal(compareVersions('1.70.1', '24.1.0'), -1);
  t.equal(compareVersions('26.8.0-dev.12+abcdef', '26.8.0'), -1, 'a -dev build comes before its release');
  t.equal(compareVersions('26.8.0-dev.12+abcdef', '26.7.0'), 1);
  t.equal(compareVersions('26.8.0-dev.12+abcdef', '26.8.0-dev.3+0123456'), 1);
  t.equal(compareVersions('26.8.0-dev.12+abcdef', '26.8.0-dev.12+fedcba'), 0);
  t.same(parseVersion('26.8.0-dev.12+abcdef'), [26, 8, 0]);
  t.same(parseVersion('24.10.1-45-gabc'), [24, 10, 1]);
  t.same(parseVersion('25.12.0'), [25, 12, 0]);
  t.equal(parseVersion('master'), undefined);
  t.same(readVersion('26.8.0-dev.12+abcdef'), { release: [26, 8, 0], stage: 'dev', commits: 12 });
  t.same(readVersion('24.10.1-45-gabc'), { release: [24, 10, 1], stage: 'post', commits: 45 });
});

t.test('the built CLI: --version, --help, check, unknown options', async (t) => {
  // The same compiler run as `npm run build`, into a temporary dist/ so that the repository's dist/ is
  // left alone; package.json goes next to it (the version is read from ../package.json), and node_modules is linked.
  const dir = mkdtempSync(join(tmpdir(), 'cli-build-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const cli = join(dir, 'dist/cli.js');
  t.match(readFileSync(cli, 'utf8'), /^#!\/usr\/bin\/env node\n/, 'the shebang survives the build');

  const run = (args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, [cli, ...args], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      });
    });

  const version = await run(['--version']);
  t.equal(version.code, 0);
  t.equal(version.stdout, `${VERSION}\n`);
  t.not(VERSION, 'unknown');

  const help = await run(['--help']);
  t.equal(help.code, 0);
  t.match(help.stdout, 'Usage:');
  t.match(help.stdout, 'librenms-exporter check');

  const unknown = await run(['--frobnicate']);
  t.equal(unknown.code, 64);
  t.match(unknown.stderr, 'unknown command or option "--frobnicate"');

  const double = await withDouble(t);
  const ready = await run(['check'], { LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token });
  t.equal(ready.code, 0, ready.stdout + ready.stderr);
  t.match(ready.stdout, 'Ready: the exporter can serve 4 devices');
  t.notMatch(ready.stdout, double.token);

  const denied = await run(['check'], { LIBRENMS_URL: double.url, LIBRENMS_TOKEN: 'wrong-token-123' });
  t.equal(denied.code, EXIT_CODES.token);
  t.match(denied.stdout, 'The API token was rejected');

  const invalid = await run(['check'], {});
  t.equal(invalid.code, EXIT_CODES.config);
  t.match(invalid.stdout, 'LIBRENMS_URL is required');
});
