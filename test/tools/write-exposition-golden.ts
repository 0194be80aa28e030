/**
 * Writes test/fixtures/exposition/<case>.prom.gz (gzip to keep the repository small): the LibreNMS data `/metrics` serves for each golden
 * case (test/helpers/golden.ts). Run it only when the data served is meant to change (a new metric, a
 * mapping fix), and say so in the change: test/exposition-bytes.test.ts holds every later change of
 * the refresh, writer or sending path to these bytes.
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dataPart, GOLDEN_CASES, served } from '../helpers/golden.js';

for (const c of GOLDEN_CASES) {
  const { plain, gzip } = await served(c);
  const data = dataPart(plain);
  if (!dataPart(gzip).equals(data)) throw new Error(`${c.name}: plain and gzip differ`);
  writeFileSync(new URL(`../fixtures/exposition/${c.name}.prom.gz`, import.meta.url), gzipSync(data, { level: 9 }));
  process.stdout.write(`${c.name}: ${data.length} bytes\n`);
}
