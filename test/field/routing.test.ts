/**
 * The bgp, ospf, services and pollers collectors against the real LibreNMS of every version the field
 * lane runs: every value equals its database row (expected-routing.ts), a release without `/pollers`
 * gives the documented notice and nothing else (and is not asked), the dispatcher's and the
 * poller-wrapper's shapes of `/pollers`, empty tables (LibreNMS's "empty" 404s, which the double must
 * answer alike), and a normal user's token.
 */
import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { startLibreNmsDouble } from '../../librenms-double/double.js';
import { versionAtLeast } from '../../librenms-double/format.js';
import { emptyRoutingTables } from '../../librenms-double/state.js';
import { startExporter, type TestExporter } from '../helpers/exporter.js';
import { find, type Sample, valueOf } from '../helpers/exposition.js';
import type { ExpectedSample } from './expected.js';
import { expectedExposition } from './expected.js';
import { expectedPollers } from './expected-routing.js';
import { execSql, fieldInstances, reseed } from './lnms.js';
import { fieldState } from './seed.js';
import { routingTables } from './seed-routing.js';

const ROUTING = /^librenms_(bgp|ospf|service|poller)_/;
const COLLECTORS = ['bgp', 'ospf', 'services', 'pollers'];
const ROUTES = ['/bgp', '/routing/bgp/cbgp', '/routing/vrf', '/ospf', '/ospf_ports', '/services', '/pollers'];

const key = (s: { name: string; labels: Readonly<Record<string, string>> }): string =>
  `${s.name}{${Object.entries(s.labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;

/** What differs between the exported samples and the expected ones: missing, extra and wrong, one line each. */
function differences(actual: readonly Sample[], expected: readonly ExpectedSample[]): string[] {
  const got = new Map(actual.map((s) => [key(s), s.value]));
  const want = new Map(expected.map((s) => [key(s), s.value]));
  return [
    ...[...want].filter(([k]) => !got.has(k)).map(([k, v]) => `missing ${k} ${v}`),
    ...[...got].filter(([k]) => !want.has(k)).map(([k, v]) => `extra ${k} ${v}`),
    ...[...want].filter(([k, v]) => got.has(k) && got.get(k) !== v).map(([k, v]) => `${k}: exported ${got.get(k)}, database ${v}`),
  ];
}

/** The notice as docs/troubleshooting.md quotes it (the check's warning), for a version. */
function documentedNotice(version: string): string {
  const quoted = /`pollers: (LibreNMS X does not serve \/api\/v0\/pollers[^`]*)`/.exec(readFileSync('docs/troubleshooting.md', 'utf8'))?.[1];
  if (quoted === undefined) throw new Error('docs/troubleshooting.md does not quote the pollers notice');
  return quoted.replace('LibreNMS X', `LibreNMS ${version}`);
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function ask(base: string, path: string, token: string): Promise<Answer> {
  const response = await fetch(`${base}/api/v0${path}`, { headers: { accept: 'application/json', 'x-auth-token': token } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Status, envelope keys, `status`, `message`, `count` and the list's length: what an empty answer is made of. */
function emptyShape(answer: Answer): string {
  const list = Object.values(answer.body).find(Array.isArray);
  return JSON.stringify([answer.status, Object.keys(answer.body), answer.body['status'], answer.body['message'], answer.body['count'], list]);
}

/** The exporter with the routing collectors only (and devices, always on), refreshing at every scrape. */
async function routingExporter(t: Test, url: string, token: string): Promise<TestExporter> {
  const exporter = await startExporter({ LIBRENMS_URL: url, LIBRENMS_TOKEN: token, CACHE_TTL_SECONDS: '0', COLLECTORS: `devices,${COLLECTORS.join(',')}` });
  t.teardown(() => exporter.close());
  return exporter;
}

for (const instance of fieldInstances()) {
  t.test(`LibreNMS ${instance.version}`, async (t) => {
    const clock = reseed(instance);
    const hasPollers = versionAtLeast(instance.version, '26.1.0');
    t.teardown(() => {
      reseed(instance);
    });

    await t.test('every routing value equals its database row; pollers as the release serves them', async (t) => {
      const exporter = await routingExporter(t, instance.url, instance.tokens.read);
      const { parsed } = await exporter.scrape();
      for (const collector of COLLECTORS) t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector }), 1, `${collector} succeeds`);
      const expected = expectedExposition(instance).samples.filter((s) => ROUTING.test(s.name));
      t.same(
        differences(
          parsed.samples.filter((s) => ROUTING.test(s.name)),
          expected,
        ),
        [],
        'every value equals the database',
      );
      for (const prefix of ['librenms_bgp_', 'librenms_ospf_', 'librenms_service_']) {
        t.ok(
          expected.some((s) => s.name.startsWith(prefix)),
          `the database has ${prefix}* values`,
        );
      }
      const pollerSamples = parsed.samples.filter((s) => s.name.startsWith('librenms_poller_'));
      const notices = exporter.logs.filter((l) => l['event'] === 'collector_notice').map((l) => String(l['msg']));
      const asked = valueOf(parsed, 'librenms_exporter_api_requests_total', { endpoint: '/pollers', code: '200' });
      if (hasPollers) {
        t.ok(pollerSamples.length > 10, 'the dispatcher nodes and their worker types');
        t.same(notices, []);
        t.equal(asked, 1);
      } else {
        t.same(pollerSamples, [], 'nothing else');
        t.same(notices, [documentedNotice(instance.version)], 'the notice, as docs/troubleshooting.md quotes it');
        t.same(
          find(parsed, 'librenms_exporter_api_requests_total').filter((s) => s.labels['endpoint'] === '/pollers'),
          [],
          '/pollers is not asked',
        );
      }
    });

    await t.test("without dispatcher nodes LibreNMS lists the poller-wrapper's rows, and the double does too", async (t) => {
      execSql(instance, 'DELETE FROM poller_cluster_stats; DELETE FROM poller_cluster;');
      t.teardown(() => reseed(instance, clock));
      const exporter = await startExporter({ LIBRENMS_URL: instance.url, LIBRENMS_TOKEN: instance.tokens.read, COLLECTORS: 'devices,pollers' });
      t.teardown(() => exporter.close());
      const { parsed } = await exporter.scrape();
      const expected = expectedPollers(instance);
      t.same(
        differences(
          parsed.samples.filter((s) => s.name.startsWith('librenms_poller_')),
          expected,
        ),
        [],
      );
      t.equal(
        expected.some((s) => s.labels['kind'] === 'wrapper'),
        hasPollers,
        hasPollers ? 'the wrapper rows' : 'nothing before 26.1',
      );

      const state = fieldState(clock, instance.version);
      state.pollerNodes = [];
      state.pollerStats = [];
      const double = await startLibreNmsDouble({ version: instance.version, state, token: instance.tokens.admin });
      t.teardown(() => double.close());
      const [real, mine] = await Promise.all([ask(instance.url, '/pollers', instance.tokens.admin), ask(double.url, '/pollers', instance.tokens.admin)]);
      t.equal(mine.status, real.status);
      t.same(Object.keys(mine.body), Object.keys(real.body));
      const fields = (a: Answer) => {
        const row = (a.body['pollers'] as Record<string, unknown>[] | undefined)?.[0];
        return row === undefined ? [] : Object.entries(row).map(([k, v]) => `${k}:${v === null ? 'null' : typeof v}`);
      };
      t.same(fields(mine), fields(real), 'the same fields and JSON types');
    });

    await t.test('empty tables: the collectors succeed with nothing, and the double answers each route as LibreNMS does', async (t) => {
      const state = fieldState(clock, instance.version);
      const tables = routingTables(state).map(({ table }) => table);
      execSql(instance, tables.map((table) => `DELETE FROM \`${table}\`;`).join('\n'));
      t.teardown(() => reseed(instance, clock));
      const double = await startLibreNmsDouble({ version: instance.version, state: { ...state, ...emptyRoutingTables() }, token: instance.tokens.admin });
      t.teardown(() => double.close());
      for (const route of ROUTES) {
        const [real, mine] = await Promise.all([ask(instance.url, route, instance.tokens.admin), ask(double.url, route, instance.tokens.admin)]);
        t.equal(emptyShape(mine), emptyShape(real), `${route}: ${emptyShape(real)}`);
      }

      const exporter = await routingExporter(t, instance.url, instance.tokens.read);
      const { parsed } = await exporter.scrape();
      for (const collector of COLLECTORS) t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector }), 1, `${collector} succeeds`);
      t.same(
        parsed.samples.filter((s) => ROUTING.test(s.name)),
        [],
        'with nothing',
      );
    });

    await t.test("a normal user's token: the collectors LibreNMS refuses fail as data, with LibreNMS's reason", async (t) => {
      const exporter = await routingExporter(t, instance.url, instance.tokens.normal);
      const { parsed } = await exporter.scrape();
      t.equal(valueOf(parsed, 'librenms_up'), 1);
      const refused = hasPollers ? COLLECTORS : COLLECTORS.filter((c) => c !== 'pollers');
      for (const collector of COLLECTORS)
        t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector }), refused.includes(collector) ? 0 : 1, `${collector}`);
      t.match(exporter.logText(), /LibreNMS refused access \(HTTP 403 on \/bgp: This action is unauthorized\.\)/);
      t.same(
        parsed.samples.filter((s) => ROUTING.test(s.name)),
        [],
        'nothing exported for it',
      );
    });
  });
}
