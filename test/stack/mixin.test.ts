/**
 * The one configuration (mixin/config.ts, issue 24) in the stack lane: rules and dashboards generated
 * with every job renamed and every tunable changed still pass the tests.
 *
 *  - every hand-written unit test (prometheus/tests/, written for the shipped configuration) passes on
 *    rules generated with the jobs renamed (and the runbook base, billing time zone and report size
 *    changed), with the tests' jobs renamed the same way;
 *  - mixin/tests.ts writes a promtool test of every tunable at its configured value; it passes for the
 *    shipped configuration on the committed rules and for the tuned one (TUNED_OVERRIDES: every
 *    setting changed) on what that generates, and the tuned tests fail on the shipped rules;
 *  - the dashboard checks of test/grafana-dashboards.test.ts pass on the tuned dashboards.
 * The end-to-end test (e2e.test.ts) runs rules and dashboards generated with renamed jobs against real
 * Prometheus servers.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { defaultConfig } from '../../mixin/config.js';
import { tunableTests } from '../../mixin/tests.js';
import { DEFAULT_EXAMPLES, renamedConfig, renamedJob, TUNED_EXAMPLES, TUNED_OVERRIDES, tunedConfig, writeGenerated } from '../helpers/mixin.js';
import { renameJobs } from '../helpers/rules.js';
import { prometheusToolchains } from '../helpers/servers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface ToolResult {
  readonly ok: boolean;
  readonly output: string;
}

/** Runs a CLI; ok only when it exits 0 and prints no "FAILED". */
function runTool(cmd: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(cmd, [...args], { cwd, timeout: 150_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      resolve({ ok: error === null && !/FAILED/.test(output), output });
    });
  });
}
const testRules = (file: string, cwd: string, promtool: string) => runTool(promtool, ['test', 'rules', file], cwd);

async function yamlFiles(dir: string): Promise<string[]> {
  return (await readdir(path.join(ROOT, dir)))
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => `${dir}/${f}`);
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'librenms-mixin-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `fn` over `items` two at a time (CI has two cores), results in order. */
async function inPairs<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += 2) out.push(...(await Promise.all(items.slice(i, i + 2).map(fn))));
  return out;
}

for (const tool of prometheusToolchains()) {
  t.test(`${tool.name}: rules generated from other configurations`, async (t) => {
    if (tool.missing !== undefined) {
      t.fail(tool.missing);
      return;
    }
    t.test('rules generated with every job renamed (and the runbook base, billing time zone, report size changed) pass every unit test', async (t) => {
      // Issue 24: the one configuration names the jobs; the unit tests, with their jobs renamed the same
      // way and the runbook base replaced, must pass on what it generates.
      const config = renamedConfig();
      await withTempDir(async (dir) => {
        await writeGenerated(dir, config);
        await mkdir(path.join(dir, 'prometheus/tests'), { recursive: true });
        const files = await yamlFiles('prometheus/tests');
        for (const f of files) {
          const text = renameJobs(await readFile(path.join(ROOT, f), 'utf8'), renamedJob).replaceAll(defaultConfig.runbookBaseUrl, config.runbookBaseUrl);
          await writeFile(path.join(dir, f), text);
        }
        const generatedRecording = await readFile(path.join(dir, 'prometheus/recording.yml'), 'utf8');
        t.match(generatedRecording, /job=~"nms-\.\+"/, 'the generated rules name the renamed jobs');
        t.notMatch(generatedRecording, /job=~"librenms/, 'and not the shipped ones');
        const results = await inPairs(files, (f) => testRules(f, dir, tool.promtool));
        files.forEach((f, i) => t.ok(results[i]?.ok, `${f} passes with renamed jobs\n${results[i]?.output}`));
      });
    });

    t.test(
      'every tunable at its value: the tests generated from a configuration pass, for the shipped one and one with every job renamed and every tunable changed',
      async (t) => {
        // Issue 24: mixin/tests.ts writes, for one configuration, a promtool test of each tunable at its
        // configured value; run for the shipped configuration on the committed rules, and for the tuned
        // one on the rules it generates. The tuned tests must fail on the shipped rules (they test values).
        await withTempDir(async (dir) => {
          for (const [name, config, examples] of [
            ['shipped', defaultConfig, DEFAULT_EXAMPLES],
            ['tuned', tunedConfig(), TUNED_EXAMPLES],
          ] as const) {
            const out = path.join(dir, name);
            await writeGenerated(out, config);
            await mkdir(path.join(out, 'prometheus/tests'), { recursive: true });
            const files = tunableTests(config, examples);
            for (const [file, text] of Object.entries(files)) await writeFile(path.join(out, 'prometheus/tests', file), text);
            const check = await runTool(tool.promtool, ['check', 'rules', 'prometheus/alerts.yml', 'prometheus/recording.yml'], out);
            t.ok(check.ok, `${name}: promtool check rules\n${check.output}`);
            const results = await inPairs(Object.keys(files), (file) => testRules(`prometheus/tests/${file}`, out, tool.promtool));
            for (const [n, file] of Object.keys(files).entries()) t.ok(results[n]?.ok, `${name}: ${file} passes\n${results[n]?.output}`);
          }
          t.equal(
            await readFile(path.join(dir, 'shipped/prometheus/alerts.yml'), 'utf8'),
            await readFile(path.join(ROOT, 'prometheus/alerts.yml'), 'utf8'),
            'the shipped configuration generates the committed rules',
          );
          await cp(path.join(dir, 'tuned/prometheus/tests/tunables.test.yml'), path.join(dir, 'shipped/prometheus/tests/tuned.test.yml'));
          const cross = await testRules('prometheus/tests/tuned.test.yml', path.join(dir, 'shipped'), tool.promtool);
          t.notOk(cross.ok, "the tuned configuration's tests fail on the shipped rules: they check the tuned values");
        });
      },
    );
  });
}

t.test('dashboards generated with every job renamed and every tunable changed pass the dashboard checks', async (t) => {
  // The same checks as test/grafana-dashboards.test.ts (npm test) runs on the committed dashboards, on
  // the tuned configuration's output: every query parses, reads known series, joins per target, ...
  await withTempDir(async (dir) => {
    await writeGenerated(dir, tunedConfig());
    await writeFile(path.join(dir, 'overrides.json'), JSON.stringify(TUNED_OVERRIDES));
    const r = await runTool(path.join(ROOT, 'node_modules/.bin/tap'), ['test/grafana-dashboards.test.ts'], ROOT, {
      MIXIN_OUT_DIR: dir,
      MIXIN_OVERRIDES_FILE: path.join(dir, 'overrides.json'),
    });
    t.ok(r.ok, r.output.slice(-4000));
    t.match(r.output, /^ok 1 - test\/grafana-dashboards\.test\.ts/m, 'the dashboard checks passed');
    t.notMatch(r.output, /^\s*not ok /m, 'none failed');
  });
});
