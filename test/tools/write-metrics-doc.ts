/**
 * Writes docs/metrics.md from the metric catalog: `npm run docs:metrics`.
 * Run it after changing src/exposition/catalog.ts; test/docs.test.ts fails until you do.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderMetricsDoc } from '../helpers/metrics-doc.js';

const target = fileURLToPath(new URL('../../docs/metrics.md', import.meta.url));
writeFileSync(target, renderMetricsDoc());
process.stdout.write('wrote docs/metrics.md\n');
