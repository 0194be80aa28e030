/**
 * `npm run test:field`: the field lane. Starts the real LibreNMS of `../shared/tools/real-librenms/`
 * (every version it offers, or FIELD_VERSIONS=22.11,26.7), loads the field data set into each
 * (`seed.ts` as SQL), runs the tests of `test/field/` against them, and stops them (FIELD_KEEP=1 keeps
 * them running). Needs root, as the tool does; CI runs it as root.
 *
 * By default each version runs where the tool puts it (its own folder under /tmp and ports
 * 35080/36080/37080). FIELD_ROOT=<folder> and FIELD_PORT_BASE=<port> give a run its own instances:
 * version i then lives in <folder>/<version> and listens on FIELD_PORT_BASE + 10·i (HTTP) and + 1 (MariaDB).
 *
 * The instances are described to the tests in a JSON file (FIELD_INSTANCES_FILE); a test run without
 * it fails, never skips.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { down, type FieldInstance, offeredVersions, reseed, TOOL_DIR, up } from './lnms.js';
import { FIELD_COMMUNITY } from './seed.js';

function log(message: string): void {
  process.stderr.write(`[field] ${message}\n`);
}

/** The tool's settings for one version: its LNMS_VERSION, and the root and ports asked for (see the header). */
function toolEnv(version: string, index: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LNMS_VERSION: version };
  const root = process.env['FIELD_ROOT'];
  if (root !== undefined && root !== '') env['LNMS_ROOT'] = join(resolve(root), version);
  const base = Number(process.env['FIELD_PORT_BASE']);
  if (Number.isInteger(base) && base > 0) {
    env['LNMS_HTTP_PORT'] = String(base + 10 * index);
    env['LNMS_DB_PORT'] = String(base + 10 * index + 1);
  }
  return env;
}

async function main(): Promise<number> {
  const wanted = process.env['FIELD_VERSIONS']?.split(',').map((v) => v.trim()) ?? offeredVersions();
  if (wanted.length === 0) {
    log(`no LibreNMS version offered in ${TOOL_DIR}/src`);
    return 1;
  }
  log(`starting LibreNMS ${wanted.join(', ')} (the first start of a version takes one to two minutes)`);
  const started = Date.now();
  // Side by side; a start that failed (two apt-get runs racing for the dpkg lock on a fresh machine)
  // is tried once more on its own.
  const settings = wanted.map((version, index) => ({ version, env: toolEnv(version, index) }));
  const results = await Promise.all(settings.map(async ({ version, env }) => ({ version, env, result: await up(env) })));
  const instances: FieldInstance[] = [];
  let failed = false;
  for (const { version, env: tool, result: first } of results) {
    const result = first.ok ? first : await up(tool);
    if (!result.ok) {
      log(`LibreNMS ${version} did not start:\n${result.output}`);
      failed = true;
      continue;
    }
    instances.push(result.instance);
  }
  log(`started in ${Math.round((Date.now() - started) / 1000)} s`);
  let status = 1;
  try {
    if (failed) return 1;
    for (const instance of instances) reseed(instance);
    // The leak check after the lanes (.ci/run) looks for these in every captured log line and body.
    const leakDir = process.env['LEAK_CAPTURE_DIR'];
    if (leakDir !== undefined && leakDir !== '') {
      const secrets = [FIELD_COMMUNITY, ...instances.flatMap((i) => [i.tokens.admin, i.tokens.read, i.tokens.normal])];
      writeFileSync(join(leakDir, 'secrets-field.txt'), `${secrets.join('\n')}\n`);
    }
    const file = join(mkdtempSync(join(tmpdir(), 'librenms-field-')), 'instances.json');
    writeFileSync(file, JSON.stringify(instances, null, 2));
    const tap = spawnSync(resolve('node_modules/.bin/tap'), ['--jobs=1', '--include', 'test/field/**/*.test.ts', ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, FIELD_INSTANCES_FILE: file },
    });
    status = tap.status ?? 1;
  } finally {
    if (process.env['FIELD_KEEP'] !== '1') for (const { env } of settings) down(env);
  }
  return status;
}

process.exitCode = await main();
