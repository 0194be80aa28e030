/**
 * `npm run demo`: the exporter against the simulated LibreNMS (the test double) holding the
 * workshop lab: MikroTik CHR 192.168.56.10 "MikroTik-Lab-Router" with ether1..ether4, and a few
 * more devices. Counters grow while it runs. Nothing here talks to a real network.
 */
import { runExporter } from '../src/cli.js';
import { controlUsage } from './control.js';
import { startLibreNmsDouble } from './double.js';
import { labState } from './fixtures.js';

const POLL_EVERY_SECONDS = Number(process.env['DEMO_POLL_SECONDS'] ?? 30);

const state = labState();
// Start the lab's clock five minutes ago and poll once, so the data looks like a live LibreNMS now.
const nowSeconds = () => Math.floor(Date.now() / 1000);
state.clock = nowSeconds() - 300;
const librenms = await startLibreNmsDouble({
  state,
  host: '127.0.0.1',
  port: Number(process.env['DEMO_LIBRENMS_PORT'] ?? 0),
});
librenms.poll(300);
const poller = setInterval(() => librenms.poll(Math.max(1, nowSeconds() - librenms.state.clock)), POLL_EVERY_SECONDS * 1000);
poller.unref();

process.stdout.write(
  `Simulated LibreNMS (the lab of the workshop guide) at ${librenms.url}/api/v0 with token ${librenms.token}\n` +
    `It polls every ${POLL_EVERY_SECONDS} s. Try: curl -H 'X-Auth-Token: ${librenms.token}' ${librenms.url}/api/v0/devices\n` +
    controlUsage(librenms.url, librenms.token),
);

await runExporter(
  {
    ...process.env,
    LIBRENMS_URL: librenms.url,
    LIBRENMS_TOKEN: librenms.token,
    LIBRENMS_TOKEN_FILE: '',
    CACHE_TTL_SECONDS: process.env['CACHE_TTL_SECONDS'] ?? '15',
  },
  async () => {
    clearInterval(poller);
    await librenms.close();
  },
);
const listen = process.env['LISTEN_ADDRESS'] ?? '0.0.0.0:9878';
process.stdout.write(`Exporter: http://${listen.replace(/^0\.0\.0\.0:|^:/, 'localhost:')}/metrics\n`);
