/**
 * `promtool check config` on the Prometheus configuration of docker-compose.yml, laid out as the
 * Prometheus container sees it: the files bind-mounted into /etc/prometheus/ (the compose config as
 * prometheus.yml, the repository's rule files beside it), with every rule file found and valid.
 *
 * Runs on both toolchains (the stack lane: npm run test:stack):
 *  - Prometheus 2: `promtool` on PATH (Debian: apt-get install prometheus), or its path in PROMTOOL;
 *  - Prometheus 3, what the compose file runs (prom/prometheus:v3.x): the folder in PROMETHEUS3_BIN
 *    (run ../shared/tools/prometheus3 from the repository root, which prints it). Unset, its test fails.
 * A broken copy of the same layout must fail, so a promtool that checks nothing cannot pass.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { parse as parseYaml } from 'yaml';
import { prometheusToolchains } from '../helpers/servers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const compose = parseYaml(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; command?: string[]; volumes?: string[] }>;
};
const prometheus = compose.services['prometheus'];

/** The file the Prometheus container reads its configuration from (--config.file). */
const CONFIG_IN_CONTAINER = (prometheus?.command ?? []).find((arg) => arg.startsWith('--config.file='))?.slice('--config.file='.length) ?? '';

/**
 * Copies every bind mount of the prometheus service that lies under the configuration's folder into
 * `dir`, at the same place relative to that folder. Returns the path of the configuration in `dir`.
 */
function layOut(dir: string): string {
  const configDir = posix.dirname(CONFIG_IN_CONTAINER);
  for (const volume of prometheus?.volumes ?? []) {
    const [source, target] = volume.split(':');
    if (source === undefined || target === undefined || !source.startsWith('.')) continue;
    const inside = posix.relative(configDir, target);
    if (inside.startsWith('..')) continue;
    mkdirSync(dirname(join(dir, inside)), { recursive: true });
    cpSync(join(ROOT, source), join(dir, inside), { recursive: true });
  }
  return join(dir, posix.relative(configDir, CONFIG_IN_CONTAINER));
}

function checkConfig(promtool: string, config: string): { status: number | null; output: string } {
  const result = spawnSync(promtool, ['check', 'config', config], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

const TOOLCHAINS = prometheusToolchains();

t.test('the compose file mounts a configuration and its rule files for Prometheus', async (t) => {
  t.match(prometheus?.image ?? '', /^prom\/prometheus:v3\.\d+\.\d+$/, 'Prometheus 3, pinned');
  t.equal(CONFIG_IN_CONTAINER, '/etc/prometheus/prometheus.yml');
  const dir = mkdtempSync(join(tmpdir(), 'compose-prom-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const config = layOut(dir);
  const text = readFileSync(config, 'utf8');
  t.same((parseYaml(text) as { rule_files: string[] }).rule_files, ['prometheus/*.yml'], 'the rule files beside the configuration');
  t.ok(
    readdirSync(join(dir, 'prometheus')).some((f) => f.endsWith('.yml')),
    'rule files are mounted there',
  );
});

for (const toolchain of TOOLCHAINS) {
  t.test(`promtool check config: ${toolchain.name}`, async (t: Test) => {
    if (toolchain.missing !== undefined) {
      t.fail(toolchain.missing);
      return;
    }
    const version = spawnSync(toolchain.promtool, ['--version'], { encoding: 'utf8' });
    t.equal(version.status, 0, `${toolchain.promtool} runs: ${version.error ?? version.stderr}`);

    const dir = mkdtempSync(join(tmpdir(), 'compose-prom-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const config = layOut(dir);
    const ruleFiles = readdirSync(join(ROOT, 'prometheus')).filter((f) => f.endsWith('.yml')).length;
    t.ok(ruleFiles >= 2, 'alerting and recording rules');
    const result = checkConfig(toolchain.promtool, config);
    t.equal(result.status, 0, `promtool accepts the layout the container sees: ${result.output}`);
    t.match(result.output, `SUCCESS: ${ruleFiles} rule files found`, 'every rule file of prometheus/ is found');
    t.notMatch(result.output, /FAILED|error/i);

    // The same layout with a broken rule file and with an unknown key: promtool must reject both.
    writeFileSync(join(dir, 'prometheus', 'broken.yml'), 'groups:\n  - name: broken\n    rules:\n      - alert: Broken\n        expr: sum(\n');
    const broken = checkConfig(toolchain.promtool, config);
    t.not(broken.status, 0, 'a rule file with a bad expression fails');
    t.match(broken.output, 'broken.yml');
    rmSync(join(dir, 'prometheus', 'broken.yml'));
    writeFileSync(config, `${readFileSync(config, 'utf8')}\nnot_a_prometheus_key: true\n`);
    const unknown = checkConfig(toolchain.promtool, config);
    t.not(unknown.status, 0, 'an unknown key in the configuration fails');
  });
}
