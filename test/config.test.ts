import { readFileSync } from 'node:fs';
import t from 'tap';
import { loadConfig, redactedConfig } from '../src/config/env.js';
import { ConfigError } from '../src/errors.js';
import { ALL_FAMILIES } from '../src/exposition/catalog.js';

const base = { LIBRENMS_URL: 'http://localhost:8000', LIBRENMS_TOKEN: 'abc123' };

t.test('defaults', async (t) => {
  const c = loadConfig(base);
  t.equal(c.instances[0]?.url.href, 'http://localhost:8000/api/v0/');
  t.equal(c.listenHost, '0.0.0.0');
  t.equal(c.listenPort, 9878);
  t.equal(c.cacheTtlMs, 60_000);
  t.equal(c.concurrency, 4);
  t.equal(c.requestTimeoutMs, 10_000);
  t.equal(c.logLevel, 'info');
  t.equal(c.portsStrategy, 'auto');
  t.equal(c.instances[0]?.tlsInsecure, false);
  t.equal(c.exportDisabledDevices, false);
});

t.test('URL forms', async (t) => {
  for (const [input, expected] of [
    ['http://localhost:8000/', 'http://localhost:8000/api/v0/'],
    ['http://localhost:8000/api/v0', 'http://localhost:8000/api/v0/'],
    ['https://nms.example.net/librenms/api/v0/', 'https://nms.example.net/librenms/api/v0/'],
    ['https://nms.example.net/librenms', 'https://nms.example.net/librenms/api/v0/'],
  ] as const) {
    t.equal(loadConfig({ ...base, LIBRENMS_URL: input }).instances[0]?.url.href, expected, input);
  }
});

t.test('every problem in one message, token never echoed', async (t) => {
  try {
    loadConfig({
      LIBRENMS_URL: 'ftp://x',
      LIBRENMS_TOKEN: 'secret-token-value',
      LIBRENMS_TOKEN_FILE: '/nonexistent/token',
      CONCURRENCY: '0',
      CACHE_TTL_SECONDS: 'soon',
      LISTEN_ADDRESS: 'nowhere',
      LOG_LEVEL: 'loud',
      PORTS_STRATEGY: 'magic',
      LIBRENMS_TLS_INSECURE: 'maybe',
      LIBRENMS_TIMEZONE: 'Mars/Olympus',
    });
    t.fail('should throw');
  } catch (error) {
    t.ok(error instanceof ConfigError);
    const e = error as ConfigError;
    t.equal(e.code, 'invalid_config');
    t.ok(e.problems.length >= 9, e.message);
    for (const name of [
      'LIBRENMS_URL',
      'LIBRENMS_TOKEN_FILE',
      'CONCURRENCY',
      'CACHE_TTL_SECONDS',
      'LISTEN_ADDRESS',
      'LOG_LEVEL',
      'PORTS_STRATEGY',
      'LIBRENMS_TLS_INSECURE',
      'LIBRENMS_TIMEZONE',
    ]) {
      t.match(e.message, name);
    }
    t.notMatch(e.message, 'secret-token-value');
  }
});

t.test('missing token and URL', async (t) => {
  t.throws(() => loadConfig({}), /LIBRENMS_URL is required[\s\S]*LIBRENMS_TOKEN \(or LIBRENMS_TOKEN_FILE\) is required/);
});

t.test('token from a file', async (t) => {
  const c = loadConfig({ LIBRENMS_URL: 'http://x', LIBRENMS_TOKEN_FILE: '/run/secrets/t' }, (path) => {
    t.equal(path, '/run/secrets/t');
    return 'file-token\n';
  });
  t.equal(c.instances[0]?.token, 'file-token');
  t.throws(() => loadConfig({ LIBRENMS_URL: 'http://x', LIBRENMS_TOKEN_FILE: '/t' }, () => '  \n'), /token file is empty/);
});

t.test('redacted config has no token', async (t) => {
  const c = loadConfig(base);
  const text = JSON.stringify(redactedConfig(c));
  t.notMatch(text, 'abc123');
  t.match(text, '[redacted]');
});

t.test('listen address forms', async (t) => {
  t.same([loadConfig({ ...base, LISTEN_ADDRESS: ':9100' }).listenHost, loadConfig({ ...base, LISTEN_ADDRESS: ':9100' }).listenPort], ['0.0.0.0', 9100]);
  t.equal(loadConfig({ ...base, LISTEN_ADDRESS: '[::1]:9878' }).listenHost, '::1');
});

// The README's table and .env.example against the settings table: test/settings.test.ts.
t.test('docs/metrics.md names every metric family', async (t) => {
  const metricsDoc = readFileSync(new URL('../docs/metrics.md', import.meta.url), 'utf8');
  for (const family of ALL_FAMILIES) t.match(metricsDoc, `\`${family.name}\``, `${family.name} in the metrics page`);
});

t.test('every YAML file is parsed strictly: unknown keys, wrong types and non-mappings are errors naming the file and the key', async (t) => {
  const files: Record<string, string> = { '/etc/token': 'tok-123456789\n', '/etc/cert.pem': 'CERT', '/etc/key.pem': 'KEY', '/etc/ca.pem': 'CA' };
  const read = (path: string): string => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    return text;
  };
  const problemsOf = (env: Record<string, string>, name: string, yaml: string): string => {
    files[name] = yaml;
    try {
      loadConfig(env, read);
    } catch (error) {
      t.ok(error instanceof ConfigError, 'a ConfigError');
      return (error as ConfigError).problems.join('\n');
    }
    return '';
  };
  const web = (yaml: string) => problemsOf({ LIBRENMS_URL: 'http://x', LIBRENMS_TOKEN: 'x', WEB_CONFIG_FILE: '/etc/web.yml' }, '/etc/web.yml', yaml);
  const instances = (yaml: string) => problemsOf({ LIBRENMS_INSTANCES_FILE: '/etc/instances.yml' }, '/etc/instances.yml', yaml);

  t.match(
    web('basic_auth_user:\n  prometheus: x\n'),
    /WEB_CONFIG_FILE "\/etc\/web.yml": unknown key "basic_auth_user" \(did you mean "basic_auth_users"\?\)/,
    'a misspelt basic_auth_users',
  );
  t.match(
    web('tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth: RequireAndVerifyClientCert\n'),
    /tls_server_config: unknown key "client_auth"/,
    'a misspelt key inside tls_server_config',
  );
  t.match(
    web('tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth_type: RequireAndVerify\n'),
    /client_auth_type must be one of/,
    'an unknown client_auth_type',
  );
  t.match(
    web('tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth_type: RequireAndVerifyClientCert\n'),
    /needs client_ca_file/,
    'verification without a CA',
  );
  t.match(web('- basic_auth_users\n'), /must be a YAML mapping/, 'a list is not a web config');
  t.match(web('just text\n'), /must be a YAML mapping/, 'a string is not a web config');
  t.match(web('basic_auth_users: [alice]\n'), /basic_auth_users must map user names to bcrypt hashes/, 'users as a list');
  t.match(web('tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  min_version: TLS11\n'), /min_version must be TLS12 or TLS13/);
  t.match(web('http_server_config:\n  headers: {}\n'), /http_server_config: unknown key "headers"/);
  t.equal(web(''), '', 'an empty web config is valid');
  const ok = loadConfig({ LIBRENMS_URL: 'http://x', LIBRENMS_TOKEN: 'x', WEB_CONFIG_FILE: '/etc/web2.yml' }, (path) =>
    path === '/etc/web2.yml'
      ? 'tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n  min_version: TLS13\n'
      : read(path),
  );
  t.same(
    ok.web.tls,
    { cert: 'CERT', key: 'KEY', clientAuthType: 'RequireAndVerifyClientCert', clientCa: 'CA', minVersion: 'TLSv1.3', maxVersion: undefined },
    'mTLS is kept, not dropped',
  );

  const good = 'instances:\n  - name: eu\n    url: http://nms-eu\n    token_file: token\n';
  t.equal(instances(good), '', 'a valid instances file');
  t.match(
    instances(`${good}    tls_insecure: "true"\n`),
    /tls_insecure must be true or false \(unquoted\), got "true"/,
    'a quoted boolean is refused, not read as false',
  );
  t.match(instances(`${good}    tls_insecure_skip_verify: true\n`), /instance 1: unknown key "tls_insecure_skip_verify"/, 'an unknown key of an instance');
  t.match(instances(`${good}timeout: 5\n`), /LIBRENMS_INSTANCES_FILE "\/etc\/instances.yml": unknown key "timeout"/, 'an unknown top-level key');
  t.match(instances('- name: eu\n'), /must be a YAML mapping/, 'a list at the top');
  t.match(instances('instances:\n  - just-a-name\n'), /instance 1: must be a mapping/, 'an instance that is not a mapping');
  t.match(instances('instances:\n  - name: eu\n    url: [http://x]\n    token_file: token\n'), /url must be a string/, 'a URL of the wrong type');
});
