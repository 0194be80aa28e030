/**
 * Standalone simulated LibreNMS (docker compose `demo` profile, manual tests; `npm run demo` starts the
 * same double in-process next to the exporter).
 *
 *   npm run double -- --port 8000 --token X --latency-ms 0 --poll-every-seconds 10
 *   (that is `npx tsx librenms-double/main.ts ...`; built by `npm run build:double` it is
 *   `node dist-double/main.js ...`, what the Dockerfile's librenms-double target runs)
 *
 * Options (env equivalents in brackets):
 *   --host H               [LIBRENMS_SIM_HOST]               default 127.0.0.1 (use 0.0.0.0 inside a container)
 *   --port N               [LIBRENMS_SIM_PORT]               default 8000
 *   --token T              [LIBRENMS_SIM_TOKEN]              default test-token-0123456789abcdef
 *   --latency-ms N         [LIBRENMS_SIM_LATENCY_MS]         default 0
 *   --poll-every-seconds N [LIBRENMS_SIM_POLL_EVERY_SECONDS] default 10 (0 = never)
 *   --fixture lab|synthetic [LIBRENMS_SIM_FIXTURE]           default lab
 *   --devices N --ports-per-device N --seed N  [LIBRENMS_SIM_DEVICES, _PORTS_PER_DEVICE, _SEED] for synthetic
 *   --version V            [LIBRENMS_SIM_VERSION]            default 26.7.0
 *
 * The data is rebased to the wall clock at start, and each poll advances it to the current
 * wall-clock second, so poll_time/last_polled are real epoch seconds and counters grow at the
 * configured rates in real time.
 */
import { controlUsage } from './control.js';
import { startLibreNmsDouble } from './double.js';
import { labState, syntheticState } from './fixtures.js';
import { rebaseClock } from './state.js';

function option(name: string, env: string, fallback: string): string {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  if (i !== -1 && argv[i + 1] !== undefined) return argv[i + 1]!;
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  if (eq) return eq.slice(name.length + 3);
  return process.env[env] ?? fallback;
}

function intOption(name: string, env: string, fallback: number): number {
  const raw = option(name, env, String(fallback));
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`invalid --${name}: ${raw}`);
    process.exit(2);
  }
  return n;
}

const fixture = option('fixture', 'LIBRENMS_SIM_FIXTURE', 'lab');
const state =
  fixture === 'synthetic'
    ? syntheticState({
        devices: intOption('devices', 'LIBRENMS_SIM_DEVICES', 200),
        portsPerDevice: intOption('ports-per-device', 'LIBRENMS_SIM_PORTS_PER_DEVICE', 50),
        seed: intOption('seed', 'LIBRENMS_SIM_SEED', 42),
      })
    : labState();
rebaseClock(state, Math.floor(Date.now() / 1000));

const double = await startLibreNmsDouble({
  host: option('host', 'LIBRENMS_SIM_HOST', '127.0.0.1'),
  port: intOption('port', 'LIBRENMS_SIM_PORT', 8000),
  token: option('token', 'LIBRENMS_SIM_TOKEN', 'test-token-0123456789abcdef'),
  latencyMs: intOption('latency-ms', 'LIBRENMS_SIM_LATENCY_MS', 0),
  version: option('version', 'LIBRENMS_SIM_VERSION', '26.7.0'),
  state,
});

const every = intOption('poll-every-seconds', 'LIBRENMS_SIM_POLL_EVERY_SECONDS', 10);
const timer =
  every > 0
    ? setInterval(() => {
        const now = Math.floor(Date.now() / 1000);
        if (now > double.state.clock) double.poll(now - double.state.clock);
      }, every * 1000)
    : undefined;

console.log(`simulated LibreNMS ${fixture} (${double.state.devices.length} devices, ${double.state.ports.length} ports)`);
console.log(`LIBRENMS_URL=${double.url}`);
console.log(`LIBRENMS_TOKEN=${double.token}`);
console.log(controlUsage(double.url, double.token).trimEnd());

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  if (timer) clearInterval(timer);
  double.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
