/**
 * The LibreNMS data part of what `/metrics` serves, plain and gzip (decompressed), for a few fixed
 * installs of the double with a fixed clock: the byte-identity test compares it with the golden files
 * under test/fixtures/exposition/ (written by test/tools/write-exposition-golden.ts from the code
 * before the streaming refresh, issue 15).
 */
import { gunzipSync } from 'node:zlib';
import { type DoubleOptions, startLibreNmsDouble } from '../../librenms-double/double.js';
import { LAB_CLOCK, labState, syntheticState } from '../../librenms-double/fixtures.js';
import { loadConfig } from '../../src/config/env.js';
import { ALL_FAMILIES, EXPORTER_FAMILIES } from '../../src/exposition/catalog.js';
import { buildApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';

export interface GoldenCase {
  readonly name: string;
  readonly double: () => DoubleOptions;
  readonly env: Readonly<Record<string, string>>;
}

const synthetic = () => syntheticState({ devices: 40, portsPerDevice: 12, seed: 7 });

export const GOLDEN_CASES: readonly GoldenCase[] = [
  { name: 'lab-bulk', double: () => ({ state: labState() }), env: { PORTS_STRATEGY: 'bulk' } },
  { name: 'lab-per-device', double: () => ({ state: labState() }), env: { PORTS_STRATEGY: 'per-device' } },
  { name: 'synthetic-bulk', double: () => ({ state: synthetic() }), env: { PORTS_STRATEGY: 'bulk', COLLECTORS: 'devices,ports' } },
  {
    name: 'synthetic-strings-filtered',
    double: () => ({ state: synthetic(), numbersAsStrings: true, version: '21.1.0' }),
    env: {
      PORTS_STRATEGY: 'bulk',
      COLLECTORS: 'devices,ports',
      EXPORT_DISABLED_PORTS: 'true',
      EXPORT_ADMIN_DOWN_PORTS: 'false',
      PORT_TYPE_EXCLUDE: 'propVirtual',
    },
  },
];

/** Families the exporter writes about itself (their values change with time and the process). */
const OWN = new Set<string>(EXPORTER_FAMILIES.map((f) => f.name));
const DATA = new Set<string>(ALL_FAMILIES.map((f) => f.name).filter((name) => !OWN.has(name)));

/**
 * The LibreNMS data of an exposition: everything from the first HELP line of a LibreNMS data family
 * on. The exporter's own metrics come first, so what is cut off holds no LibreNMS data.
 */
export function dataPart(body: Buffer): Buffer {
  const text = body.toString('latin1');
  for (let at = text.indexOf('# HELP '); at !== -1; at = text.indexOf('\n# HELP ', at + 1)) {
    const start = at === 0 || text[at] === '#' ? at : at + 1;
    const name = text.slice(start + 7, text.indexOf(' ', start + 7));
    if (DATA.has(name)) return body.subarray(start);
  }
  return Buffer.alloc(0);
}

/** What `/metrics` serves for `c`, plain and gzip (decompressed), with a fixed clock. */
export async function served(c: GoldenCase): Promise<{ plain: Buffer; gzip: Buffer }> {
  const double = await startLibreNmsDouble(c.double());
  const config = loadConfig({
    LIBRENMS_URL: double.url,
    LIBRENMS_TOKEN: double.token,
    LISTEN_ADDRESS: '127.0.0.1:0',
    CACHE_TTL_SECONDS: '60',
    ...c.env,
  });
  const { app } = buildApp({ config, logger: createLogger('silent'), now: () => LAB_CLOCK * 1000 });
  try {
    const plain = await app.inject({ method: 'GET', url: '/metrics' });
    const zipped = await app.inject({ method: 'GET', url: '/metrics', headers: { 'accept-encoding': 'gzip' } });
    if (plain.statusCode !== 200 || zipped.statusCode !== 200) throw new Error(`${c.name}: HTTP ${plain.statusCode} / ${zipped.statusCode}`);
    if (zipped.headers['content-encoding'] !== 'gzip') throw new Error(`${c.name}: no gzip`);
    return { plain: plain.rawPayload, gzip: gunzipSync(zipped.rawPayload) };
  } finally {
    await app.close();
    await double.close();
  }
}
