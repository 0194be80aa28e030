/**
 * `npm run generate`: writes prometheus/recording.yml, prometheus/alerts.yml and
 * grafana/dashboards/*.json from mixin/config.ts.
 *
 *   npm run generate                                   the shipped files
 *   npm run generate -- --config my.json --out DIR     your settings (a JSON object of overrides of
 *                                                      mixin/config.ts's defaultConfig) into DIR
 *   npm run generate -- --check                        exit 1 when a committed file is stale
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultConfig, type MixinOverrides, withOverrides } from './config.js';
import { generate } from './render.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: { config: { type: 'string' }, out: { type: 'string' }, check: { type: 'boolean', default: false } },
});
const config = values.config === undefined ? defaultConfig : withOverrides(JSON.parse(readFileSync(values.config, 'utf8')) as MixinOverrides);
const outDir = path.resolve(values.out ?? ROOT);
let stale = 0;
for (const [file, text] of generate(config)) {
  const target = path.join(outDir, file);
  if (values.check) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      stale += 1;
      console.error(`stale: ${file} (run npm run generate)`);
    }
    continue;
  }
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, text);
  console.log(`wrote ${path.relative(process.cwd(), target) || target}`);
}
if (stale > 0) process.exitCode = 1;
