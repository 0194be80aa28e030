/**
 * LibreNMS's own error answers (issue 20), from the real LibreNMS of every version the field lane runs:
 * 401 without a token or with a wrong one, 400 on a bad column, 404 on an unknown device group. The
 * exporter's client turns each into the LibreNmsError (code, status, LibreNMS's own message as detail)
 * whose log wording (describeFailure: the client's facts plus the setting to change) is the message
 * that docs/troubleshooting.md documents; the messages are read from that page, so the
 * page and the code stay in step. End to end: a wrong token gives `librenms_up 0` and the documented log
 * line, and `check` exits with the documented code and sentence.
 */
import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { describeFailure } from '../../src/advice.js';
import { loadConfig } from '../../src/config/env.js';
import { runDoctor } from '../../src/doctor/doctor.js';
import { LibreNmsError } from '../../src/errors.js';
import { clientOptions, LibreNmsClient } from '../../src/librenms/client.js';
import { startExporter } from '../helpers/exporter.js';
import { valueOf } from '../helpers/exposition.js';
import { fieldInstances, reseed } from './lnms.js';

const TROUBLESHOOTING = readFileSync('docs/troubleshooting.md', 'utf8');
const WRONG_TOKEN = 'not-a-librenms-token-0123456789';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The message docs/troubleshooting.md quotes (in backticks) that starts with `start`, as a pattern:
 * each part the page says varies (`X`, `N`, `...`, `<reason>`) is a group (`X` the shortest that fits,
 * `...` and `<reason>` the rest). With `prefix`, the page
 * quotes how the message starts (a heading), and the message may go on.
 */
function documented(start: string, prefix = false): RegExp {
  const quoted = [...TROUBLESHOOTING.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? '').find((q) => q.startsWith(start));
  if (quoted === undefined) throw new Error(`docs/troubleshooting.md quotes no message starting "${start}"`);
  const pattern = quoted
    .split(/(\.\.\.|<reason>|\bX\b|\bN\b)/)
    .map((part) => (part === 'N' ? '(\\d+)' : part === 'X' ? '(.+?)' : part === '...' || part === '<reason>' ? '(.+)' : escape(part)))
    .join('');
  return new RegExp(`^${pattern}${prefix ? '' : '$'}`);
}

/** The varying parts of `message` where the documented message starting with `start` has them; fails the test when it does not match. */
function varying(t: Test, message: string, start: string, prefix = false): string[] {
  const match = documented(start, prefix).exec(message);
  t.ok(match, `"${message}" is the message docs/troubleshooting.md documents ("${start}…")`);
  return match?.slice(1) ?? [];
}

/** The error `run` throws (fails the test when it throws none, or another kind). */
async function failure(t: Test, run: () => Promise<unknown>): Promise<LibreNmsError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof LibreNmsError) return error;
    throw error;
  }
  t.fail('LibreNMS answered without an error');
  throw new Error('no error');
}

for (const instance of fieldInstances()) {
  t.test(`LibreNMS ${instance.version}: its error answers give the documented messages`, async (t) => {
    reseed(instance);
    const config = loadConfig({ LIBRENMS_URL: instance.url, LIBRENMS_TOKEN: instance.tokens.admin });
    const configured = config.instances[0];
    if (configured === undefined) throw new Error('no instance configured');
    const clientWith = (token: string): LibreNmsClient => {
      const client = new LibreNmsClient(clientOptions({ ...configured, token }, config));
      t.teardown(() => client.close());
      return client;
    };

    await t.test('401: no token, or a token LibreNMS does not know', async (t) => {
      for (const token of ['', WRONG_TOKEN]) {
        const error = await failure(t, () => clientWith(token).system());
        t.same([error.code, error.status, error.detail], ['unauthorized', 401, 'Unauthenticated.'], "Laravel's AuthenticationException as JSON");
        t.same(varying(t, describeFailure(error), 'LibreNMS rejected the API token'), ['/system']);
        t.notMatch(error.message, WRONG_TOKEN, 'the token is never in the message');
      }
    });

    await t.test('400: a column the ports table does not have', async (t) => {
      const error = await failure(t, () => clientWith(instance.tokens.admin).getJson('/ports', 'ports', { columns: 'port_id,ifFoo' }, 'ports'));
      t.same([error.code, error.status, error.detail], ['http_error', 400, 'Invalid columns: ifFoo'], 'validate_column_list(): api_error(400)');
      t.same(varying(t, describeFailure(error), 'LibreNMS answered HTTP N on X'), ['400', '/ports', 'Invalid columns: ifFoo']);
    });

    await t.test('404: a device group LibreNMS does not know', async (t) => {
      const error = await failure(t, () => clientWith(instance.tokens.admin).listGroupDevices('No such group'));
      // The page names LibreNMS's own text for it: "LibreNMS answered 404 `Device group not found` for that name".
      const said = /LibreNMS answered 404 `([^`]+)` for that name/.exec(TROUBLESHOOTING)?.[1];
      t.same([error.code, error.status, error.detail], ['not_found', 404, said], 'get_devices_by_group: api_error(404)');
      t.same(varying(t, describeFailure(error), 'LibreNMS answered HTTP N on X'), ['404', '/devicegroups/:name', said]);
    });

    await t.test('the exporter with a wrong token: librenms_up 0 and the documented log line', async (t) => {
      const exporter = await startExporter({ LIBRENMS_URL: instance.url, LIBRENMS_TOKEN: WRONG_TOKEN });
      t.teardown(() => exporter.close());
      const scrape = await exporter.scrape();
      t.equal(scrape.status, 200, 'the failure is data, not an HTTP error');
      t.equal(valueOf(scrape.parsed, 'librenms_up'), 0);
      t.equal(valueOf(scrape.parsed, 'librenms_exporter_api_requests_total', { endpoint: '/devices', code: '401' }), 1);
      const line = exporter.logs.find((l) => l['step'] === 'selection');
      t.equal(line?.['level'], 40, 'a warning');
      // The first refresh has no good data to serve: the line ends at the reason (the page says so).
      t.match(TROUBLESHOOTING, 'Without `; serving the last good data`, there was none to serve');
      const [reason] = varying(t, `${String(line?.['msg'])}; serving the last good data`, 'cannot read the device list from LibreNMS');
      t.same(varying(t, reason ?? '', 'LibreNMS rejected the API token'), ['/devices']);
      t.notMatch(exporter.logText(), WRONG_TOKEN);
    });

    await t.test('the exporter with an unknown LIBRENMS_DEVICE_GROUPS group: the documented warning', async (t) => {
      const exporter = await startExporter({ LIBRENMS_URL: instance.url, LIBRENMS_TOKEN: instance.tokens.admin, LIBRENMS_DEVICE_GROUPS: 'No such group' });
      t.teardown(() => exporter.close());
      const scrape = await exporter.scrape();
      t.equal(valueOf(scrape.parsed, 'librenms_up'), 1, 'an unknown group is a warning, not a failure');
      const warning = exporter.logs.map((l) => String(l['msg'])).find((m) => m.startsWith('LIBRENMS_DEVICE_GROUPS names'));
      t.same(varying(t, warning ?? '', 'LIBRENMS_DEVICE_GROUPS names the device group', true), ['No such group']);
    });

    await t.test('check with a wrong token: the documented exit code and sentence', async (t) => {
      const heading = /^### `(The API token was rejected[^`]*)` \(exit (\d+)\)$/m.exec(TROUBLESHOOTING);
      if (heading === null) throw new Error('docs/troubleshooting.md has no heading for the rejected token');
      const lines: string[] = [];
      const code = await runDoctor({ LIBRENMS_URL: instance.url, LIBRENMS_TOKEN: WRONG_TOKEN }, (line) => lines.push(line));
      const text = lines.join('\n');
      t.equal(code, Number(heading[2]), `exit ${heading[2]}: ${text}`);
      t.match(text, heading[1] ?? '', 'the sentence the page is headed with');
      t.notMatch(text, WRONG_TOKEN);
      t.notMatch(text, /^Ready/m);
    });
  });
}
