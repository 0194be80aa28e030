/**
 * The exporter against the real LibreNMS of every version the field lane runs: every collector
 * succeeds, every exported LibreNMS value equals the database row it came from (the odd rows of
 * seed.ts included), groups select what the database says, and `check` says ready.
 */
import t from 'tap';
import { runDoctor } from '../../src/doctor/doctor.js';
import { startExporter } from '../helpers/exporter.js';
import type { Sample } from '../helpers/exposition.js';
import { type ExpectedSample, expectedExposition, expectedGroups } from './expected.js';
import { fieldInstances, reseed } from './lnms.js';
import { GROUPS } from './seed.js';

const key = (s: { name: string; labels: Readonly<Record<string, string>> }): string =>
  `${s.name}{${Object.entries(s.labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;

/** The exporter's samples of LibreNMS data (its own status and process families left out). */
function librenmsSamples(samples: readonly Sample[]): Map<string, number> {
  const own = /^librenms_(up|scrape_|exporter_)/;
  return new Map(samples.filter((s) => s.name.startsWith('librenms_') && !own.test(s.name)).map((s) => [key(s), s.value]));
}

function expectedMap(samples: readonly ExpectedSample[]): Map<string, number> {
  return new Map(samples.map((s) => [key(s), s.value]));
}

for (const instance of fieldInstances()) {
  t.test(`LibreNMS ${instance.version}`, async (t) => {
    reseed(instance);
    const exporter = await startExporter({ LIBRENMS_URL: instance.url, LIBRENMS_TOKEN: instance.tokens.admin, CACHE_TTL_SECONDS: '0' });
    t.teardown(() => exporter.close());

    await t.test('every collector succeeds and every value equals its database row', async (t) => {
      const scrape = await exporter.scrape({ 'accept-encoding': 'gzip' });
      t.equal(scrape.status, 200);
      const status = scrape.parsed.samples.filter((s) => s.name === 'librenms_scrape_collector_success');
      t.same(
        status.map((s) => [s.labels['collector'], s.value]).sort(),
        [
          ['alerts', 1],
          ['bgp', 1],
          ['devices', 1],
          ['ospf', 1],
          ['pollers', 1],
          ['ports', 1],
          ['sensors', 1],
          ['services', 1],
        ],
        'every collector succeeded',
      );
      t.equal(scrape.parsed.samples.find((s) => s.name === 'librenms_up')?.value, 1);
      const actual = librenmsSamples(scrape.parsed.samples);
      const expected = expectedMap(expectedExposition(instance).samples);
      const missing = [...expected].filter(([k]) => !actual.has(k)).map(([k, v]) => `${k} ${v}`);
      const extra = [...actual].filter(([k]) => !expected.has(k)).map(([k, v]) => `${k} ${v}`);
      const wrong = [...expected].filter(([k, v]) => actual.has(k) && actual.get(k) !== v).map(([k, v]) => `${k}: exported ${actual.get(k)}, database ${v}`);
      t.same(missing, [], 'no value the database has is missing');
      t.same(extra, [], 'nothing is exported that the database does not hold');
      t.same(wrong, [], 'every value equals the database');
      t.ok(expected.size > 150, `the comparison covers the whole data set (${expected.size} series)`);
    });

    await t.test('device groups select what the database says, whatever their name', async (t) => {
      const groups = expectedGroups(instance);
      for (const name of [GROUPS.lab, GROUPS.slash, GROUPS.unicode, GROUPS.empty]) {
        const group = groups.get(name);
        if (group === undefined) throw new Error(`group ${name} not seeded`);
        const response = await fetch(`${exporter.url}/metrics?group=${encodeURIComponent(name)}`);
        t.equal(response.status, 200, `?group=${name} answers`);
        const text = await response.text();
        const selected = [...text.matchAll(/^librenms_device_up\{hostname="([^"]+)"\}/gm)].map((m) => m[1]).sort();
        const expected = group.members.filter((h) => h !== 'old-fw.lab').sort();
        t.same(selected, expected, `?group=${name} selects its members`);
        t.match(text, /^librenms_up 1$/m);
      }
      // An all-digit name is a group id to LibreNMS (get_devices_by_group: ctype_digit): the group named
      // "2024" is read by its id.
      const digits = groups.get(GROUPS.digits);
      const byId = await (await fetch(`${exporter.url}/metrics?group=${digits?.id}`)).text();
      t.same(
        [...byId.matchAll(/^librenms_device_up\{hostname="([^"]+)"\}/gm)].map((m) => m[1]),
        digits?.members,
      );
    });

    await t.test('service discovery labels each device with its groups', async (t) => {
      const groups = expectedGroups(instance);
      const targets = (await (await fetch(`${exporter.url}/sd`)).json()) as { targets: string[]; labels: Record<string, string> }[];
      for (const target of targets) {
        const hostname = target.targets[0] ?? '';
        const expected = [...groups]
          .filter(([, g]) => g.members.includes(hostname))
          .map(([name]) => name)
          .sort();
        const listed = (target.labels['__meta_librenms_groups'] ?? '').split(',').filter((g) => g !== '');
        t.same(listed.sort(), expected, `${hostname}'s groups`);
      }
      t.equal(targets.length, 6, 'every device but the disabled one is a target');
    });

    await t.test('LIBRENMS_DEVICE_GROUPS with a "/" in a name', async (t) => {
      const scoped = await startExporter({ LIBRENMS_URL: instance.url, LIBRENMS_TOKEN: instance.tokens.admin, LIBRENMS_DEVICE_GROUPS: GROUPS.slash });
      t.teardown(() => scoped.close());
      const scrape = await scoped.scrape();
      const hosts = scrape.parsed.samples.filter((s) => s.name === 'librenms_device_up').map((s) => s.labels['hostname']);
      t.same(hosts.sort(), expectedGroups(instance).get(GROUPS.slash)?.members.sort());
      t.equal(scrape.parsed.samples.find((s) => s.name === 'librenms_scrape_collector_success' && s.labels['collector'] === 'devices')?.value, 1);
    });

    await t.test('check says ready', async (t) => {
      const lines: string[] = [];
      const code = await runDoctor({ LIBRENMS_URL: instance.url, LIBRENMS_TOKEN: instance.tokens.read }, (line) => lines.push(line));
      t.equal(code, 0, lines.join('\n'));
      t.match(lines.at(-1) ?? '', /^Ready: the exporter can serve 6 devices and \d+ ports from LibreNMS/);
    });
  });
}
