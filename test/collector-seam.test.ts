/**
 * A collector is one file plus one entry in a list: given a list with a fixture collector (a file of
 * its own, test/fixtures/collector.ts), the configuration accepts it, `--help`, `check` and
 * docs/metrics.md show it, and a scrape serves its samples with its own success metric.
 */
import t from 'tap';
import { startLibreNmsDouble } from '../librenms-double/double.js';
import { COLLECTORS, enabledCollectors } from '../src/collectors/index.js';
import { loadConfig } from '../src/config/env.js';
import { renderUsage } from '../src/config/help.js';
import { runDoctor } from '../src/doctor/doctor.js';
import { EXIT_CODES } from '../src/doctor/messages.js';
import { buildApp } from '../src/http/app.js';
import { createLogger } from '../src/logger.js';
import { fixtureCollector } from './fixtures/collector.js';
import { find, parseExposition, valueOf } from './helpers/exposition.js';
import { renderMetricsDoc } from './helpers/metrics-doc.js';

const list = [...COLLECTORS, fixtureCollector];

t.test('the configuration, --help and docs/metrics.md take the collector from the list', async (t) => {
  const env = { LIBRENMS_URL: 'http://127.0.0.1:1', LIBRENMS_TOKEN: 'x' };
  t.notOk(loadConfig(env, undefined, { collectors: list }).collectors.has('fixture'), 'off by default, as it declares');
  t.ok(loadConfig({ ...env, COLLECTORS: 'ports,fixture' }, undefined, { collectors: list }).collectors.has('fixture'), 'COLLECTORS switches it on');
  t.match(renderUsage('1.2.3', list), /fixture +off +one open alert per selected device/);
  const doc = renderMetricsDoc(list);
  t.match(doc, '## Collector `fixture`\n\nOne open alert per selected device, named "fixture" (a test fixture). Off by default; reads `/system`.');
  t.notMatch(renderMetricsDoc(), 'Collector `fixture`', 'and nothing of it without');
});

t.test('a scrape serves its samples and its success, and check prints a sample of its families', async (t) => {
  const double = await startLibreNmsDouble();
  t.teardown(() => double.close());
  const env = { LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, COLLECTORS: 'ports,fixture', LISTEN_ADDRESS: '127.0.0.1:0' };
  const config = loadConfig(env, undefined, { collectors: list });
  const exporter = buildApp({ config, logger: createLogger('silent'), collectors: enabledCollectors(config.collectors, list) });
  t.teardown(() => exporter.app.close());
  const parsed = parseExposition((await exporter.app.inject({ url: '/metrics' })).body);
  t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'fixture' }), 1);
  t.ok(find(parsed, 'librenms_scrape_collector_duration_seconds', { collector: 'fixture' }).length === 1);
  t.equal(find(parsed, 'librenms_alert_active', { rule: 'fixture' }).length, find(parsed, 'librenms_device_up').length, 'one sample per device');
  t.ok(
    double.requests.some((r) => r.path === '/api/v0/system'),
    'it read LibreNMS through the client',
  );

  const lines: string[] = [];
  const code = await runDoctor(env, (line) => lines.push(line), { collectors: list });
  t.equal(code, EXIT_CODES.ready, lines.join('\n'));
  t.ok(
    lines.some((l) => /^ {2}librenms_alert_active\{hostname="[^"]+",rule="fixture",severity="warning",state="active"\} 1$/.test(l)),
    'check shows a sample of its family',
  );
});
