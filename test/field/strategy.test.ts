/**
 * PORTS_STRATEGY=auto against the real LibreNMS of every version the field lane runs (issue 25): the
 * first refresh reads ports in bulk and learns how many ports LibreNMS's bulk answer holds; while that
 * is within PORTS_BULK_MAX_PORTS (the default fits PHP's default memory_limit, docs/big-installs.md)
 * bulk stays, past it the next refreshes read per device and never ask for the bulk answer again, with
 * the same ports exported. The field data set is small, so "past it" is a PORTS_BULK_MAX_PORTS below
 * its size: the rule is the same at 100,000 ports (measured with `npm run bench:real`).
 */
import t from 'tap';
import { DEFAULT_BULK_MAX_PORTS } from '../../src/config/settings.js';
import { startExporter, type TestExporter } from '../helpers/exporter.js';
import { find, type ParsedExposition, valueOf } from '../helpers/exposition.js';
import { fieldInstances, reseed, selectRows } from './lnms.js';

/** Port requests the exporter has sent so far, by endpoint, from its own counter. */
function portRequests(parsed: ParsedExposition): { bulk: number; perDevice: number } {
  const sum = (endpoint: string): number =>
    find(parsed, 'librenms_exporter_api_requests_total')
      .filter((s) => s.labels['endpoint'] === endpoint)
      .reduce((total, s) => total + s.value, 0);
  return { bulk: sum('/ports'), perDevice: sum('/devices/:hostname/ports') };
}

const portKeys = (parsed: ParsedExposition): string[] =>
  find(parsed, 'librenms_port_info')
    .map((s) => `${s.labels['hostname']}/${s.labels['ifIndex']}`)
    .sort();

for (const instance of fieldInstances()) {
  t.test(`LibreNMS ${instance.version}: auto reads in bulk within PORTS_BULK_MAX_PORTS, per device past it`, async (t) => {
    reseed(instance);
    // What get_all_ports answers: every port not deleted (includes/html/api_functions.inc.php).
    const bulkPorts = Number(selectRows(instance, { n: 'c.n' }, '(SELECT COUNT(*) AS n FROM ports WHERE deleted = 0) AS c')[0]?.['n']);
    const exported = Number(selectRows(instance, { n: 'c.n' }, '(SELECT COUNT(*) AS n FROM devices WHERE disabled = 0) AS c')[0]?.['n']);
    const ofExported = Number(
      selectRows(
        instance,
        { n: 'c.n' },
        '(SELECT COUNT(*) AS n FROM ports JOIN devices USING (device_id) WHERE deleted = 0 AND devices.disabled = 0) AS c',
      )[0]?.['n'],
    );
    t.ok(ofExported > 3 && bulkPorts < DEFAULT_BULK_MAX_PORTS, `the field data set's bulk answer: ${bulkPorts} ports (${ofExported} of exported devices)`);
    // CONCURRENCY 2 against 6 devices: neither one round nor a small part of the install, so the size decides.
    const start = async (limit?: number): Promise<TestExporter> => {
      const exporter = await startExporter({
        LIBRENMS_URL: instance.url,
        LIBRENMS_TOKEN: instance.tokens.admin,
        CACHE_TTL_SECONDS: '0',
        CONCURRENCY: '2',
        ...(limit === undefined ? {} : { PORTS_BULK_MAX_PORTS: String(limit) }),
      });
      t.teardown(() => exporter.close());
      return exporter;
    };
    const refreshLines = (exporter: TestExporter) => exporter.logs.filter((l) => l['msg'] === 'refresh from LibreNMS complete');

    await t.test('within the default: bulk, refresh after refresh', async (t) => {
      const exporter = await start();
      const first = (await exporter.scrape()).parsed;
      const second = (await exporter.scrape()).parsed;
      t.same(portRequests(second), { bulk: 2, perDevice: 0 }, 'one bulk /ports request per refresh');
      t.same(
        refreshLines(exporter).map((l) => [l['strategy'], l['bulk_ports_expected']]),
        [
          ['bulk', bulkPorts],
          ['bulk', bulkPorts],
        ],
        'the size learnt is what LibreNMS holds',
      );
      t.same(portKeys(second), portKeys(first));
    });

    await t.test('past PORTS_BULK_MAX_PORTS: bulk once to learn the size, then per device with the same ports', async (t) => {
      // Below both sizes the exporter learns (the bulk answer, and the exported devices' ports it reads per device).
      const exporter = await start(Math.min(bulkPorts, ofExported) - 1);
      const first = (await exporter.scrape()).parsed;
      t.same(portRequests(first), { bulk: 1, perDevice: 0 }, 'the size is not known before the first read: bulk');
      const second = (await exporter.scrape()).parsed;
      t.same(portRequests(second), { bulk: 1, perDevice: exported }, 'then one request per exported device, and no bulk');
      const third = (await exporter.scrape()).parsed;
      t.same(portRequests(third), { bulk: 1, perDevice: 2 * exported }, 'and so on');
      t.same(
        refreshLines(exporter).map((l) => l['strategy']),
        ['bulk', 'per-device (bulk too big)', 'per-device (bulk too big)'],
      );
      t.equal(valueOf(third, 'librenms_scrape_collector_success', { collector: 'ports' }), 1);
      t.same(portKeys(third), portKeys(first), 'the same ports as in bulk');
      // Every exported device read: their ports per device, times the devices (a disabled device's ports are not read).
      t.equal(refreshLines(exporter)[2]?.['bulk_ports_expected'], ofExported, 'the size, now from the per-device reads');
    });
  });
}
