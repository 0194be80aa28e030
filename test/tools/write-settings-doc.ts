/**
 * Writes README.md's configuration tables (between `<!-- settings:start -->` and
 * `<!-- settings:end -->`) and `.env.example` from the settings table: `npm run docs:settings`.
 * Run it after changing src/config/settings.ts or a collector's declaration; test/settings.test.ts
 * fails until you do.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderEnvExample, renderSettingsTable, withSettingsTable } from '../helpers/settings-doc.js';

const readmePath = fileURLToPath(new URL('../../README.md', import.meta.url));
const readme = withSettingsTable(readFileSync(readmePath, 'utf8'), renderSettingsTable());
if (readme === undefined) {
  process.stderr.write('README.md has no <!-- settings:start --> ... <!-- settings:end --> markers: put them where the configuration tables go\n');
  process.exit(1);
}
writeFileSync(readmePath, readme);
writeFileSync(fileURLToPath(new URL('../../.env.example', import.meta.url)), renderEnvExample());
process.stdout.write('wrote README.md (configuration) and .env.example\n');
