/**
 * Packaging: the Dockerfile, docker-compose.yml and the npm package, checked without a Docker engine.
 * The last test is the Docker build done by hand: a clean copy of the repository's files, `npm ci`,
 * `npm run build`, `npm prune --omit=dev` (what the runtime stage holds), then the built CLI serving
 * metrics from a LibreNMS double, and the image's HEALTHCHECK command run against it.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse as parseYaml } from 'yaml';
import { startLibreNmsDouble } from '../src/simulator/double.js';
import { freePort } from './helpers/servers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  files: string[];
};
const BIN = pkg.bin['librenms-exporter'] ?? '';

// ---------------------------------------------------------------- Dockerfile

interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly stage: number;
}

/** Instructions of a Dockerfile (continuations joined, comments dropped), with their stage index. */
function parseDockerfile(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  const result: Instruction[] = [];
  let stage = -1;
  for (const raw of joined.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(\w+)\s+(.*)$/.exec(line);
    if (match === null) continue;
    const keyword = match[1]!.toUpperCase();
    if (keyword === 'FROM') stage++;
    result.push({ keyword, args: match[2]!.trim(), stage });
  }
  return result;
}

const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

function argDefault(name: string): string | undefined {
  const arg = dockerfile.find((i) => i.keyword === 'ARG' && i.args.startsWith(`${name}=`));
  return arg?.args.slice(name.length + 1).replace(/^"|"$/g, '');
}

t.test('Dockerfile: pinned Node LTS base, multi-stage, production dependencies only', async (t) => {
  const froms = dockerfile.filter((i) => i.keyword === 'FROM');
  t.ok(froms.length >= 2, 'a build stage and a runtime stage');
  const image = argDefault('NODE_IMAGE');
  t.ok(image, 'the base image is one ARG');
  t.match(image, /^node:(\d+)\.\d+\.\d+-(alpine3\.\d+|bookworm-slim|trixie-slim|slim)$/, 'pinned to a release, slim or alpine');
  const major = Number(/^node:(\d+)/.exec(image ?? '')?.[1]);
  t.equal(major % 2, 0, 'an LTS line (even major)');
  t.ok(major >= 20, 'at least the engines minimum');
  for (const from of froms) t.match(from.args, /^\$\{NODE_IMAGE\} AS \w+$/i);

  const runtime = froms.length - 1;
  const runtimeRuns = dockerfile.filter((i) => i.stage === runtime && i.keyword === 'RUN').map((i) => i.args);
  t.ok(runtimeRuns.some((run) => /npm ci\b.*--omit=dev/.test(run) && run.includes('--ignore-scripts')), 'runtime: npm ci --omit=dev --ignore-scripts');
  t.notOk(runtimeRuns.some((run) => /npm (run )?build|tsc/.test(run)), 'nothing is compiled in the runtime stage');
  const buildRuns = dockerfile.filter((i) => i.stage === 0 && i.keyword === 'RUN').map((i) => i.args);
  t.ok(buildRuns.some((run) => run.includes('npm run build')), 'the build stage runs npm run build');
});

t.test('Dockerfile: every COPY source exists in the build context or is built by the build stage', async (t) => {
  const buildConfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { compilerOptions: { outDir: string } };
  const stageNames = new Map<string, number>();
  const workdirs = new Map<number, string>();
  for (const i of dockerfile) {
    if (i.keyword === 'FROM') {
      const name = /\bAS\s+(\w+)$/i.exec(i.args)?.[1];
      if (name !== undefined) stageNames.set(name, i.stage);
    }
    if (i.keyword === 'WORKDIR') workdirs.set(i.stage, i.args);
  }
  const copies = dockerfile.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD');
  t.ok(copies.length > 0);
  for (const copy of copies) {
    t.equal(copy.keyword, 'COPY', 'COPY, not ADD');
    const words = copy.args.split(/\s+/);
    const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
    const paths = words.filter((w) => !w.startsWith('--'));
    const sources = paths.slice(0, -1);
    for (const source of sources) {
      if (from === undefined) {
        t.ok(existsSync(join(ROOT, source)), `COPY source ${source} exists in the repository`);
        const top = source.replace(/^\.\//, '').split('/')[0];
        t.notOk(dockerignore.includes(top ?? ''), `${source} is not excluded by .dockerignore`);
      } else {
        const stage = stageNames.get(from);
        t.ok(stage !== undefined, `stage ${from} exists`);
        const expected = posix.join(workdirs.get(stage ?? -1) ?? '/', buildConfig.compilerOptions.outDir);
        t.equal(source, expected, `${source} is the build stage's compiler output (tsconfig.build.json outDir)`);
        t.ok(existsSync(join(ROOT, 'src', BIN.replace(/^dist\//, '').replace(/\.js$/, '.ts'))), 'the bin is compiled from src/');
      }
    }
  }
  t.ok(existsSync(join(ROOT, 'package-lock.json')), 'npm ci needs the lockfile');
});

t.test('Dockerfile: runs the package bin as a non-root user, exposes 9878, has a HEALTHCHECK and OCI labels', async (t) => {
  const runtime = Math.max(...dockerfile.map((i) => i.stage));
  const cmd = dockerfile.filter((i) => i.keyword === 'CMD').at(-1);
  t.ok(cmd, 'CMD present');
  t.same(JSON.parse(cmd?.args ?? '[]'), ['node', BIN], 'CMD runs the package bin (exec form)');
  t.equal(BIN, 'dist/cli.js');
  t.notOk(dockerfile.some((i) => i.keyword === 'ENTRYPOINT'), 'no ENTRYPOINT: `docker run image node dist/cli.js check` works');
  t.ok(dockerfile.some((i) => i.keyword === 'EXPOSE' && i.args.split(/\s+/).includes('9878')), 'EXPOSE 9878');
  const user = dockerfile.filter((i) => i.stage === runtime && i.keyword === 'USER').at(-1);
  t.ok(user, 'USER in the runtime stage');
  t.notMatch(user?.args ?? 'root', /^(root|0)(:|$)/, 'not root');
  const health = dockerfile.find((i) => i.keyword === 'HEALTHCHECK');
  t.ok(health, 'HEALTHCHECK present');
  t.match(health?.args ?? '', '/healthz');
  t.notMatch(health?.args ?? '', /\b(curl|wget)\b/, 'needs no extra tools');
  const labels = dockerfile.filter((i) => i.keyword === 'LABEL').map((i) => i.args).join(' ');
  for (const key of ['title', 'description', 'version', 'licenses', 'revision']) t.match(labels, `org.opencontainers.image.${key}=`);
  t.equal(argDefault('VERSION'), pkg.version, 'the version label defaults to package.json version');
  for (const needed of ['.git', 'node_modules', 'dist', '.env', 'test']) t.ok(dockerignore.includes(needed), `.dockerignore has ${needed}`);
});

/** The command the image's HEALTHCHECK runs (exec form). */
function healthcheckCommand(): string[] {
  const health = dockerfile.find((i) => i.keyword === 'HEALTHCHECK');
  const json = /\bCMD\s+(\[.*\])\s*$/.exec(health?.args ?? '')?.[1];
  return JSON.parse(json ?? '[]') as string[];
}

// ---------------------------------------------------------------- docker-compose.yml

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  profiles?: string[];
  extra_hosts?: string[];
}

const compose = parseYaml(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
};

/** `${VAR:-default}` → default (what compose uses when the variable is unset). */
function interpolateDefaults(text: string): string {
  return text.replace(/\$\{[A-Z0-9_]+(?::?-([^}]*))?\}/g, (_all, fallback: string | undefined) => fallback ?? '');
}

t.test('docker-compose.yml: services, bind mounts and host ports', async (t) => {
  const services = compose.services;
  for (const name of ['exporter', 'prometheus', 'alertmanager', 'grafana', 'librenms-sim']) t.ok(services[name], `service ${name}`);
  const hostPorts = new Map<string, string>();
  for (const [name, service] of Object.entries(services)) {
    t.ok(service.image !== undefined || service.build !== undefined, `${name} has an image or a build`);
    if (service.image !== undefined && service.build === undefined) t.match(service.image, /:v?\d+\.\d+\.\d+$/, `${name}: image pinned to a release`);
    for (const volume of service.volumes ?? []) {
      const [source] = volume.split(':');
      if (source === undefined || !/^[./~]/.test(source)) {
        t.ok(compose.volumes && source !== undefined && source in compose.volumes, `${name}: named volume ${source} is declared`);
        continue;
      }
      t.ok(existsSync(join(ROOT, source)), `${name}: bind-mounted ${source} exists`);
    }
    for (const port of service.ports ?? []) {
      const parts = interpolateDefaults(port).split(':');
      const hostPort = parts.length === 3 ? parts[1] : parts.length === 2 ? parts[0] : undefined;
      t.ok(hostPort, `${name}: ${port} publishes a host port`);
      const key = `${hostPort}`;
      t.notOk(hostPorts.has(key), `host port ${key} of ${name} is not also used by ${hostPorts.get(key)}`);
      hostPorts.set(key, name);
    }
  }
  t.equal(hostPorts.get('9878'), 'exporter');
  t.notOk(hostPorts.has('8000'), 'port 8000 stays free for the LibreNMS of the workshop');
});

t.test('docker-compose.yml: the exporter, the demo simulator, Prometheus and Grafana are wired together', async (t) => {
  const { exporter, prometheus, grafana } = compose.services;
  const sim = compose.services['librenms-sim'];
  t.match(interpolateDefaults(exporter?.environment?.['LIBRENMS_URL'] ?? ''), 'http://host.docker.internal:8000');
  t.ok(exporter?.extra_hosts?.includes('host.docker.internal:host-gateway'), 'host.docker.internal works on Linux too');
  t.ok('LIBRENMS_TOKEN' in (exporter?.environment ?? {}) && 'LIBRENMS_TOKEN_FILE' in (exporter?.environment ?? {}), 'token via env or file');

  t.same(sim?.profiles, ['demo']);
  const simCommand = sim?.command ?? [];
  t.equal(simCommand[0], 'node');
  t.ok(existsSync(join(ROOT, 'src', (simCommand[1] ?? '').replace(/^dist\//, '').replace(/\.js$/, '.ts'))), 'the simulator entry is built from src/');
  t.equal(simCommand[simCommand.indexOf('--host') + 1], '0.0.0.0', 'the simulator listens on every interface of its container');
  const simPort = simCommand[simCommand.indexOf('--port') + 1];
  t.match(readFileSync(join(ROOT, 'src/simulator/main.ts'), 'utf8'), /option\('host'[\s\S]*intOption\('port'/, 'main.ts takes --host and --port');

  const demoEnv = Object.fromEntries(
    readFileSync(join(ROOT, 'docker/demo.env'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  t.equal(demoEnv['COMPOSE_PROFILES'], 'demo');
  t.equal(demoEnv['DOCKER_LIBRENMS_URL'], `http://librenms-sim:${simPort}`, 'the demo points the exporter at the simulator');
  t.ok(demoEnv['LIBRENMS_TOKEN'], 'the demo token opens the simulator (LIBRENMS_SIM_TOKEN follows LIBRENMS_TOKEN)');
  t.match(sim?.environment?.['LIBRENMS_SIM_TOKEN'] ?? '', '${LIBRENMS_TOKEN');

  t.equal(grafana?.environment?.['PROMETHEUS_URL'], 'http://prometheus:9090');
  t.ok(grafana?.volumes?.some((v) => v.startsWith('./grafana/dashboards:/var/lib/grafana/dashboards/librenms')));

  // Prometheus: the compose config mounted where the image reads it, the rule files next to it.
  const configMount = prometheus?.volumes?.find((v) => v.split(':')[1] === '/etc/prometheus/prometheus.yml');
  t.ok(configMount, 'a config mounted at /etc/prometheus/prometheus.yml');
  const configPath = configMount?.split(':')[0] ?? '';
  const config = parseYaml(readFileSync(join(ROOT, configPath), 'utf8')) as {
    rule_files: string[];
    scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  };
  t.same(config.scrape_configs[0]?.static_configs[0]?.targets, ['exporter:9878']);
  t.equal(config.scrape_configs[0]?.job_name, 'librenms', 'the job name the alert rules select');
  t.same(config.alerting.alertmanagers[0]?.static_configs[0]?.targets, ['alertmanager:9093']);
  const rulesMount = prometheus?.volumes?.find((v) => v.split(':')[1] === '/etc/prometheus/prometheus');
  t.equal(rulesMount?.split(':')[0], './prometheus', 'the repository rule files at /etc/prometheus/prometheus');
  t.same(config.rule_files, (parseYaml(readFileSync(join(ROOT, 'prometheus.yml'), 'utf8')) as { rule_files: string[] }).rule_files, 'the same rule files as prometheus.yml');

  // promtool on the layout the container sees, when promtool is installed (npm test requires it).
  if (spawnSync('promtool', ['--version']).status === 0) {
    const dir = mkdtempSync(join(tmpdir(), 'compose-prom-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(join(ROOT, configPath), join(dir, 'prometheus.yml'));
    cpSync(join(ROOT, 'prometheus'), join(dir, 'prometheus'), { recursive: true });
    const result = spawnSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
    t.equal(result.status, 0, result.stdout + result.stderr);
    const ruleFiles = readdirSync(join(ROOT, 'prometheus')).filter((f) => f.endsWith('.yml')).length;
    t.match(result.stdout, `SUCCESS: ${ruleFiles} rule files found`);
  }
});

// ---------------------------------------------------------------- the npm package and the built image contents


function run(command: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

async function waitFor<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

t.test('clean build as in the image: npm ci, build, pack contents, prune, then the CLI serves metrics', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'packaging-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));

  // The repository's files as the lead will commit them: tracked plus untracked-but-not-ignored.
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  t.equal(listed.status, 0, listed.stderr);
  let copied = 0;
  for (const file of listed.stdout.split('\0')) {
    if (file === '' || !existsSync(join(ROOT, file)) || !statSync(join(ROOT, file)).isFile()) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dir, file));
    copied++;
  }
  t.ok(copied > 20, `${copied} files copied`);
  t.notOk(existsSync(join(dir, 'node_modules')) || existsSync(join(dir, 'dist')) || existsSync(join(dir, '.env')), 'no build output or .env copied');

  const ci = await run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], dir, 120_000);
  t.equal(ci.code, 0, `npm ci: ${ci.stderr.slice(-2000)}`);
  const build = await run('npm', ['run', 'build'], dir);
  t.equal(build.code, 0, `npm run build: ${build.stdout.slice(-2000)}${build.stderr.slice(-2000)}`);
  for (const file of ['dist/cli.js', 'dist/server.js', 'dist/simulator/main.js']) t.ok(existsSync(join(dir, file)), `${file} built`);
  t.match(readFileSync(join(dir, 'dist/cli.js'), 'utf8'), /^#!\/usr\/bin\/env node\n/, 'the bin starts with a shebang');

  // What `npm publish` would ship.
  const pack = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], dir);
  t.equal(pack.code, 0, pack.stderr);
  const files = ((JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0]?.files ?? []).map((f) => f.path);
  for (const needed of ['dist/cli.js', 'dist/server.js', 'README.md', 'package.json']) t.ok(files.includes(needed), `the package has ${needed}`);
  for (const optional of ['LICENSE', 'README.th.md', 'CHANGELOG.md']) {
    if (existsSync(join(ROOT, optional))) t.ok(files.includes(optional), `the package has ${optional}`);
  }
  const unwanted = files.filter(
    (path) =>
      /(^|\/)(test|tests|fixtures?|bench|coverage|\.tap|docker|node_modules|secrets?)\//.test(path) ||
      /(^|\/)\.env($|\.(?!example$))/.test(path) ||
      /\.(pem|key|map|ts)$/.test(path) ||
      /^src\//.test(path),
  );
  t.same(unwanted, [], 'no tests, fixtures, bench, sources, source maps, .env or secrets in the package');

  // The runtime stage: production dependencies only.
  const prune = await run('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], dir);
  t.equal(prune.code, 0, prune.stderr);
  t.notOk(existsSync(join(dir, 'node_modules/typescript')), 'dev dependencies are gone');
  t.notOk(existsSync(join(dir, 'node_modules/tsx')), 'no tsx at run time');

  const version = await run(process.execPath, ['dist/cli.js', '--version'], dir);
  t.equal(version.stdout, `${pkg.version}\n`, 'the built CLI knows its version');

  const double = await startLibreNmsDouble();
  t.teardown(() => double.close());
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/cli.js'], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, LISTEN_ADDRESS: `127.0.0.1:${port}`, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  t.teardown(() => stop(child));

  const base = `http://127.0.0.1:${port}`;
  await waitFor('/healthz', async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined));
  const metrics = await waitFor('librenms_up 1', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    return /^librenms_up(\{[^}]*\})? 1$/m.test(text) ? text : undefined;
  });
  t.match(metrics, /^librenms_up(\{[^}]*\})? 1$/m);
  t.match(metrics, /^librenms_port_up\{hostname="192\.168\.56\.10",ifName="ether1",ifIndex="1"\} 1$/m, 'ether1 is served');
  t.notMatch(metrics + output, double.token, 'the token appears in neither the metrics nor the logs');

  // The image's HEALTHCHECK command, as Docker would run it inside the container.
  const [healthBin, ...healthArgs] = healthcheckCommand();
  t.equal(healthBin, 'node');
  const healthy = spawnSync(process.execPath, healthArgs, { env: { PATH: process.env['PATH'] ?? '', LISTEN_ADDRESS: `127.0.0.1:${port}` }, timeout: 10_000 });
  t.equal(healthy.status, 0, 'HEALTHCHECK passes while the exporter serves');

  t.equal(await stop(child), 0, 'SIGTERM stops the exporter with exit code 0');
  const unhealthy = await new Promise<number | null>((resolve) => {
    execFile(process.execPath, healthArgs, { env: { PATH: process.env['PATH'] ?? '', LISTEN_ADDRESS: `127.0.0.1:${port}` }, timeout: 10_000 }, (error) =>
      resolve(error === null ? 0 : typeof error.code === 'number' ? error.code : -1),
    );
  });
  t.equal(unhealthy, 1, 'HEALTHCHECK fails when nothing serves');

  // The demo profile's simulator from the same pruned install, with the compose command line.
  const simPort = await freePort();
  const sim = spawn(process.execPath, ['dist/simulator/main.js', '--host', '127.0.0.1', '--port', String(simPort), '--token', 'sim-token-0123456789'], {
    cwd: dir,
    stdio: 'ignore',
  });
  t.teardown(() => stop(sim));
  const system = await waitFor('the simulator', async () => {
    const response = await fetch(`http://127.0.0.1:${simPort}/api/v0/system`, { headers: { 'X-Auth-Token': 'sim-token-0123456789' } });
    return response.ok ? ((await response.json()) as { status: string }) : undefined;
  });
  t.equal(system.status, 'ok', 'the simulator runs with production dependencies only');
  t.equal(await stop(sim), 0);
});
