/**
 * `npm run demo` as a newcomer runs it: the demo's /metrics through the strict parser and promtool's
 * lints (test/helpers/lint.ts), and a clean stop on SIGTERM.
 */

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { request } from 'undici';
import { parseExposition, valueOf } from './helpers/exposition.js';
import { lintExposition } from './helpers/lint.js';
import { freePort } from './helpers/servers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

t.test("the demo serves the lab, promtool's lints find nothing, SIGTERM stops it cleanly", async (t) => {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'librenms-double/demo.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', LISTEN_ADDRESS: `127.0.0.1:${port}`, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  let text = '';
  for (let attempt = 0; attempt < 150 && text === ''; attempt++) {
    try {
      const response = await request(`http://127.0.0.1:${port}/metrics`);
      if (response.statusCode === 200) text = await response.body.text();
      else await response.body.dump();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  t.not(text, '', `the demo answered /metrics (output: ${output.slice(0, 500)})`);
  const parsed = parseExposition(text);
  t.equal(valueOf(parsed, 'librenms_up'), 1);
  t.equal(valueOf(parsed, 'librenms_port_up', { hostname: '192.168.56.10', ifName: 'ether1' }), 1);
  t.equal(valueOf(parsed, 'librenms_device_info', { hostname: '192.168.56.10', display: 'MikroTik-Lab-Router' }), 1);
  t.same(lintExposition(text), [], "promtool's lints find nothing (the real promtool: the stack lane, with PROMTOOL_CAPTURE_DIR)");
  t.match(output, /Simulated LibreNMS \(the lab of the workshop guide\) at http:\/\/127\.0\.0\.1:\d+\/api\/v0/);

  child.kill('SIGTERM');
  t.equal(await exited, 0, 'exit code 0 after SIGTERM');
});
