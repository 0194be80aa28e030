import t from 'tap';
import { readFileSync } from 'node:fs';
import { loadConfig, redactedConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { ALL_FAMILIES } from '../src/metrics/catalog.js';

const base = { LIBRENMS_URL: 'http://localhost:8000', LIBRENMS_TOKEN: 'abc123' };

t.test('defaults', async (t) => {
  const c = loadConfig(base);
  t.equal(c.librenmsUrl.href, 'http://localhost:8000/api/v0/');
  t.equal(c.listenHost, '0.0.0.0');
  t.equal(c.listenPort, 9878);
  t.equal(c.cacheTtlMs, 60_000);
  t.equal(c.concurrency, 4);
  t.equal(c.requestTimeoutMs, 10_000);
  t.equal(c.logLevel, 'info');
  t.equal(c.portsStrategy, 'auto');
  t.equal(c.tlsInsecure, false);
  t.equal(c.exportDisabledDevices, false);
});

t.test('URL forms', async (t) => {
  for (const [input, expected] of [
    ['http://localhost:8000/', 'http://localhost:8000/api/v0/'],
    ['http://localhost:8000/api/v0', 'http://localhost:8000/api/v0/'],
    ['https://nms.example.net/librenms/api/v0/', 'https://nms.example.net/librenms/api/v0/'],
    ['https://nms.example.net/librenms', 'https://nms.example.net/librenms/api/v0/'],
  ] as const) {
    t.equal(loadConfig({ ...base, LIBRENMS_URL: input }).librenmsUrl.href, expected, input);
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
    for (const name of ['LIBRENMS_URL', 'LIBRENMS_TOKEN_FILE', 'CONCURRENCY', 'CACHE_TTL_SECONDS', 'LISTEN_ADDRESS', 'LOG_LEVEL', 'PORTS_STRATEGY', 'LIBRENMS_TLS_INSECURE', 'LIBRENMS_TIMEZONE']) {
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
  t.equal(c.token, 'file-token');
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

t.test('the README documents every variable of .env.example and every metric family', async (t) => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const source = readFileSync(new URL('../src/config.ts', import.meta.url), 'utf8');
  const variables = new Set([...source.matchAll(/(?:text|number|flag|file|list|regex)\('([A-Z_]+)'/g)].map((m) => m[1] ?? ''));
  t.ok(variables.size >= 15, `${variables.size} variables`);
  for (const name of variables) t.match(readme, `| \`${name}\` |`, `${name} in the configuration table`);
  for (const family of ALL_FAMILIES) t.match(readme, `| \`${family.name}\` |`, `${family.name} in the metric table`);
  const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  for (const m of example.matchAll(/^#? ?([A-Z_]+)=/gm)) t.ok(variables.has(m[1] ?? ''), `${m[1]} in .env.example is a real variable`);
});
