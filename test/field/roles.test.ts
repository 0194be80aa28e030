/**
 * Tokens of each role against the real LibreNMS, as docs/librenms-versions.md ("Token roles") says:
 * a global-read token reads everything and is ready; an admin's works but `check` warns where LibreNMS
 * can tell (23.11 to 26.7); a normal user's token (devices_perms on the workshop router only) sees that
 * device alone, is refused /alerts, /bgp, /ospf, /services and /pollers, and `check` names the collectors
 * it cannot read.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import t from 'tap';
import { versionAtLeast } from '../../librenms-double/format.js';
import { runDoctor } from '../../src/doctor/doctor.js';
import { EXIT_CODES } from '../../src/doctor/messages.js';
import { startExporter } from '../helpers/exporter.js';
import { find, valueOf } from '../helpers/exposition.js';
import { expectedExposition } from './expected.js';
import { execSql, fieldInstances, reseed } from './lnms.js';

/** The token statement of docs/librenms-versions.md ("API tokens"), which the README repeats. */
function documentedTokenSql(): string {
  const docs = readFileSync('docs/librenms-versions.md', 'utf8');
  const match = /mysql -u librenms -p librenms -e "(INSERT INTO api_tokens[^"]+)"/.exec(docs);
  if (match?.[1] === undefined) throw new Error('docs/librenms-versions.md has no api_tokens statement');
  return match[1].replace(/\n\s*/g, ' ');
}

async function check(env: Record<string, string>): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await runDoctor(env, (line) => lines.push(line));
  return { code, text: lines.join('\n') };
}

for (const instance of fieldInstances()) {
  t.test(`LibreNMS ${instance.version}`, async (t) => {
    reseed(instance);
    const base = { LIBRENMS_URL: instance.url };
    // LibreNMS 23.11 (PR #15493) to 26.7 answer GET /poller_group to admins only.
    const tellsAdmins = versionAtLeast(instance.version, '23.11.0');

    await t.test('a token made with the documented SQL statement is a working global-read token', async (t) => {
      const statement = documentedTokenSql();
      for (const readme of ['README.md', 'README.th.md'])
        t.match(readFileSync(readme, 'utf8').replace(/\n\s*/g, ' '), statement, `${readme} gives the same statement`);
      const token = randomBytes(16).toString('hex');
      // up.sh's global-read user is "reader"; the docs name the user "exporter".
      execSql(instance, statement.replace('$TOKEN', token).replace("'exporter'", "'reader'"));
      const { code, text } = await check({ ...base, LIBRENMS_TOKEN: token });
      t.equal(code, EXIT_CODES.ready, text);
      t.match(text, /The token's user has the global-read (role: it reads every device and can change nothing|or admin role)/);
    });

    await t.test('a global-read token is ready', async (t) => {
      const { code, text } = await check({ ...base, LIBRENMS_TOKEN: instance.tokens.read });
      t.equal(code, EXIT_CODES.ready, text);
      t.match(
        text,
        tellsAdmins
          ? "The token's user has the global-read role: it reads every device and can change nothing."
          : "The token's user has the global-read or admin role",
      );
      t.notMatch(text, /belongs to a LibreNMS admin/);
    });

    await t.test('an admin token works; check warns where LibreNMS can tell', async (t) => {
      const { code, text } = await check({ ...base, LIBRENMS_TOKEN: instance.tokens.admin });
      t.equal(code, EXIT_CODES.ready, text);
      if (tellsAdmins) t.match(text, /warn {2}The token belongs to a LibreNMS admin .*Create the token for a user with the global-read role instead/);
      else t.match(text, /this LibreNMS cannot tell which; use a global-read user/);
    });

    await t.test("a normal user's token: check names the collectors it cannot read", async (t) => {
      const { code, text } = await check({ ...base, LIBRENMS_TOKEN: instance.tokens.normal });
      t.equal(code, EXIT_CODES.token, text);
      t.match(text, 'warn  The token belongs to a normal LibreNMS user (HTTP 403 on /devicegroups');
      // /pollers came in 26.1.0: an older LibreNMS is never asked it, so it refuses nothing there.
      const pollers = versionAtLeast(instance.version, '26.1.0');
      t.match(
        text,
        `FAIL  LibreNMS refuses this token /alerts (the alerts collector), /bgp (the bgp collector), /ospf (the ospf collector)${pollers ? ', /services (the services collector) and /pollers (the pollers collector)' : ' and /services (the services collector)'} (HTTP 403`,
      );
      t.match(
        text,
        pollers
          ? 'leave alerts, bgp, ospf, services and pollers out of COLLECTORS (COLLECTORS=devices,ports,sensors)'
          : 'leave alerts, bgp, ospf and services out of COLLECTORS (COLLECTORS=devices,ports,sensors,pollers)',
      );
      const without = await check({ ...base, LIBRENMS_TOKEN: instance.tokens.normal, COLLECTORS: 'devices,ports,sensors' });
      t.equal(without.code, EXIT_CODES.ready, without.text);
      t.match(without.text, /Ready: the exporter can serve 1 devices and \d+ ports/);
    });

    await t.test("a normal user's token exports its one device, with the same values as an admin's", async (t) => {
      const exporter = await startExporter({ ...base, LIBRENMS_TOKEN: instance.tokens.normal, COLLECTORS: 'devices,ports,sensors' });
      t.teardown(() => exporter.close());
      const { parsed } = await exporter.scrape();
      for (const collector of ['devices', 'ports', 'sensors']) {
        t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector }), 1, `${collector} succeeds`);
      }
      t.same(
        find(parsed, 'librenms_device_up').map((s) => s.labels['hostname']),
        ['192.168.56.10'],
        'only the device given to the user (devices_perms)',
      );
      const expected = expectedExposition(instance).samples.filter(
        (s) => s.labels['hostname'] === '192.168.56.10' && /^librenms_(device|port|sensor)_/.test(s.name),
      );
      for (const sample of expected)
        t.equal(valueOf(parsed, sample.name, { ...sample.labels }), sample.value, `${sample.name} ${JSON.stringify(sample.labels)}`);
      t.equal(parsed.samples.filter((s) => /^librenms_(device|port|sensor)_/.test(s.name)).length, expected.length, 'and nothing of other devices');
    });

    await t.test("a normal user's token with the alerts collector on: that collector fails, the others serve", async (t) => {
      const exporter = await startExporter({ ...base, LIBRENMS_TOKEN: instance.tokens.normal });
      t.teardown(() => exporter.close());
      const { parsed } = await exporter.scrape();
      t.equal(valueOf(parsed, 'librenms_up'), 1);
      t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'alerts' }), 0);
      t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'ports' }), 1);
      t.match(
        exporter.logText(),
        /LibreNMS refused access \(HTTP 403 on \/alerts: This action is unauthorized\.\): give the token's user the global-read role/,
      );
    });
  });
}
