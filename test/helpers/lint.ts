/**
 * An in-process stand-in for `promtool check metrics`, so the unit lane needs no Prometheus binaries.
 *
 * `lintExposition` first parses strictly (./exposition.ts: whatever Prometheus rejects, duplicate
 * series included), then applies the lints of promtool (client_golang's promlint, same wording, so
 * its findings compare line for line with the real promtool's) and a few of our own that our output
 * could break. The one accepted promtool finding (camelCase contract labels, see ACCEPTED_FINDING in
 * ./promtool.ts) is left out of the result, as promtoolCheckMetrics leaves it out.
 *
 * With PROMTOOL_CAPTURE_DIR set, every exposition checked here is also saved there (one file per call;
 * empty bodies, repeats and bodies over 20 MB skipped; at most 200 files, at most 40 per test file), so
 * that the stack lane (test/stack/promtool-metrics.test.ts) runs the real promtool on exactly what the
 * unit lane saw.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ALL_FAMILIES, type MetricFamily } from '../../src/exposition/catalog.js';
import { ExpositionError, type ParsedExposition, parseExposition } from './exposition.js';
import { isAcceptedFinding } from './promtool.js';

export const CAPTURE_MAX_BYTES = 20 * 1024 * 1024;
export const CAPTURE_MAX_FILES = 200;
/** One test file may fill at most this many of the capture files, so that every file gets a share. */
const CAPTURE_MAX_FILES_PER_PROCESS = 40;
export const CAPTURE_SUFFIX = '.prom';

/**
 * Findings (promtool's "<family> <text>" lines, or "parse error: ...") on an exposition; empty when the
 * real promtool finds nothing either. Pass `{ capture: false }` for a deliberately bad exposition, so
 * that it is not saved for the real promtool (which would then, rightly, fail the stack lane).
 */
export function lintExposition(body: string | Buffer | Uint8Array, options: { capture?: boolean } = {}): string[] {
  if (options.capture !== false) captureExposition(body);
  let text: string;
  if (typeof body === 'string') {
    // A JS string cannot hold invalid UTF-8, but a lone surrogate becomes invalid (or U+FFFD) on the wire.
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(body);
    if (lone !== null) return [`parse error: lone UTF-16 surrogate at character ${lone.index}, not encodable as UTF-8`];
    text = body;
  } else {
    try {
      // ignoreBOM keeps a byte order mark in the text, where the parser rejects it as promtool does.
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    } catch {
      return ['parse error: the exposition is not valid UTF-8'];
    }
  }
  let parsed: ParsedExposition;
  try {
    parsed = parseExposition(text);
  } catch (error) {
    if (error instanceof ExpositionError) return [`parse error: ${error.message}`];
    throw error;
  }
  const findings = new Set<string>([...lineOrderFindings(text), ...familyFindings(parsed)]);
  return [...findings].filter((line) => !isAcceptedFinding(line)).sort();
}

// --- families as promtool's text parser (expfmt) groups them --------------------------------------

interface Family {
  readonly name: string;
  type: string | undefined;
  help: string | undefined;
  readonly labelNames: Set<string>;
  readonly samples: { name: string; labels: Readonly<Record<string, string>> }[];
}

const HISTOGRAM_SUFFIXES = ['_bucket', '_count', '_sum'];
const SUMMARY_SUFFIXES = ['_count', '_sum'];

/** The family a sample belongs to: histogram and summary samples by suffix, everything else by name. */
function familyName(sample: string, types: ReadonlyMap<string, string>): string {
  if (types.has(sample)) return sample;
  for (const suffix of HISTOGRAM_SUFFIXES) {
    if (!sample.endsWith(suffix)) continue;
    const base = sample.slice(0, -suffix.length);
    const type = types.get(base);
    if (type === 'histogram' || (type === 'summary' && SUMMARY_SUFFIXES.includes(suffix))) return base;
  }
  return sample;
}

function families(parsed: ParsedExposition): Map<string, Family> {
  const byName = new Map<string, Family>();
  const get = (name: string): Family => {
    const known = byName.get(name);
    if (known !== undefined) return known;
    const f: Family = { name, type: undefined, help: undefined, labelNames: new Set(), samples: [] };
    byName.set(name, f);
    return f;
  };
  for (const [name, type] of parsed.types) get(name).type = type;
  for (const [name, help] of parsed.helps) get(name).help = help;
  for (const s of parsed.samples) {
    const f = get(familyName(s.name, parsed.types));
    f.samples.push(s);
    for (const l of Object.keys(s.labels)) f.labelNames.add(l);
  }
  return byName;
}

// --- promtool's lints (client_golang prometheus/testutil/promlint) --------------------------------

/** Units and the base unit promlint asks for. */
const UNITS: Readonly<Record<string, string>> = {
  amperes: 'amperes',
  bytes: 'bytes',
  celsius: 'celsius',
  grams: 'grams',
  joules: 'joules',
  kelvin: 'kelvin',
  meters: 'meters',
  metres: 'metres',
  seconds: 'seconds',
  volts: 'volts',
  minutes: 'seconds',
  hours: 'seconds',
  days: 'seconds',
  weeks: 'seconds',
  kelvins: 'kelvin',
  fahrenheit: 'celsius',
  rankine: 'celsius',
  inches: 'meters',
  yards: 'meters',
  miles: 'meters',
  bits: 'bytes',
  calories: 'joules',
  pounds: 'grams',
  ounces: 'grams',
};
const UNIT_PREFIXES = [
  'pico',
  'nano',
  'micro',
  'milli',
  'centi',
  'deci',
  'deca',
  'hecto',
  'kilo',
  'kibi',
  'mega',
  'mibi',
  'giga',
  'gibi',
  'tera',
  'tebi',
  'peta',
  'pebi',
];
const UNIT_ABBREVIATIONS = ['s', 'ms', 'us', 'ns', 'sec', 'b', 'kb', 'mb', 'gb', 'tb', 'pb', 'm', 'h', 'd'];
const TYPES_IN_NAMES = ['counter', 'gauge', 'histogram', 'summary', 'gauge_histogram'];
const CAMEL_CASE = /[a-z][A-Z]/;

/** A word of the name (split on _) that is a known unit, with or without an SI/IEC prefix. */
function unitOf(name: string): { unit: string; base: string } | undefined {
  const words = name.split('_');
  for (const [unit, base] of Object.entries(UNITS)) {
    for (const prefix of [...UNIT_PREFIXES, '']) {
      if (words.includes(prefix + unit)) return { unit: prefix + unit, base };
    }
  }
  return undefined;
}

/** Whether `word` is a whole _-separated word of `name` (in the middle or at the end), as promlint tests it. */
const hasWord = (name: string, word: string): boolean => name.includes(`_${word}_`) || name.endsWith(`_${word}`);

function promlint(f: Family): string[] {
  const out: string[] = [];
  const problem = (text: string) => out.push(`${f.name} ${text}`);
  const type = f.type ?? 'untyped';
  const lower = f.name.toLowerCase();
  // lintHelp
  if (f.help === undefined) problem('no help text');
  // lintMetricUnits
  const unit = unitOf(f.name);
  if (unit !== undefined && unit.unit !== unit.base) problem(`use base unit "${unit.base}" instead of "${unit.unit}"`);
  // lintCounter
  const total = f.name.endsWith('_total');
  if (type === 'counter' && !total) problem('counter metrics should have "_total" suffix');
  if (type !== 'untyped' && type !== 'counter' && total) problem('non-counter metrics should not have "_total" suffix');
  // lintHistogramSummaryReserved
  if (type !== 'untyped') {
    const histogram = type === 'histogram';
    const summary = type === 'summary';
    if (!histogram && f.name.endsWith('_bucket')) problem('non-histogram metrics should not have "_bucket" suffix');
    if (!histogram && !summary && f.name.endsWith('_count')) problem('non-histogram and non-summary metrics should not have "_count" suffix');
    if (!histogram && !summary && f.name.endsWith('_sum')) problem('non-histogram and non-summary metrics should not have "_sum" suffix');
    if (!histogram && f.labelNames.has('le')) problem('non-histogram metrics should not have "le" label');
    if (!summary && f.labelNames.has('quantile')) problem('non-summary metrics should not have "quantile" label');
  }
  // lintMetricTypeInName
  for (const t of TYPES_IN_NAMES) if (hasWord(lower, t)) problem(`metric name should not include type '${t}'`);
  // lintReservedChars
  if (f.name.includes(':')) problem("metric names should not contain ':'");
  // lintCamelCase
  if (CAMEL_CASE.test(f.name)) problem("metric names should be written in 'snake_case' not 'camelCase'");
  if ([...f.labelNames].some((l) => CAMEL_CASE.test(l))) problem("label names should be written in 'snake_case' not 'camelCase'");
  // lintUnitAbbreviations
  if (UNIT_ABBREVIATIONS.some((a) => hasWord(lower, a))) problem('metric names should not contain abbreviated units');
  return out;
}

// --- our own lints: what promtool's parser rejects beyond ./exposition.ts, and the catalog's rules ---

const CATALOG: ReadonlyMap<string, MetricFamily> = new Map(ALL_FAMILIES.map((f) => [f.name, f]));

/** The unit the catalog's help text gives a family ("in seconds", "Unix time", "in bytes"), if any. */
export function catalogUnit(family: MetricFamily): 'seconds' | 'bytes' | undefined {
  const help = family.help.replace(/\bper second\b/gi, '');
  if (/\bseconds?\b|\bUnix time\b/i.test(help)) return 'seconds';
  if (/\bbytes\b/i.test(help)) return 'bytes';
  return undefined;
}

function ourLints(f: Family): string[] {
  const out: string[] = [];
  const problem = (text: string) => out.push(`${f.name} ${text}`);
  if (f.type === undefined) problem('no TYPE line');
  if (f.help !== undefined && f.help.trim() === '') problem('empty help text');
  for (const l of f.labelNames) if (l.startsWith('__')) problem(`label name "${l}" is reserved (starts with "__")`);
  // Bucket bounds and quantiles must be floats, or Prometheus's parser rejects the scrape.
  for (const s of f.samples) {
    if (f.type === 'histogram' && s.name === `${f.name}_bucket`) {
      const le = s.labels['le'];
      if (le === undefined || !isFloat(le)) problem(`bucket without a float "le" label: ${JSON.stringify(le ?? null)}`);
    }
    if (f.type === 'summary' && s.name === f.name) {
      const q = s.labels['quantile'];
      if (q === undefined || !isFloat(q)) problem(`quantile without a float "quantile" label: ${JSON.stringify(q ?? null)}`);
    }
  }
  if (f.type === 'histogram') {
    const series = new Set(f.samples.filter((s) => s.name === `${f.name}_count`).map((s) => seriesOf(s.labels)));
    const withInf = new Set(
      f.samples.filter((s) => s.name === `${f.name}_bucket` && /^\+?inf(inity)?$/i.test(s.labels['le'] ?? '')).map((s) => seriesOf(s.labels, 'le')),
    );
    for (const key of series) if (!withInf.has(key)) problem(`histogram series ${key} without a +Inf bucket`);
  }
  // The catalog's type, and the unit its help text names as the name's last word (but for _total on a
  // counter and _per_second on a rate): foo_seconds, foo_bytes_total, foo_bytes_per_second.
  const entry = CATALOG.get(f.name);
  if (entry !== undefined) {
    if (f.type !== undefined && f.type !== entry.type) problem(`TYPE ${f.type}, but the catalog says ${entry.type}`);
    const unit = catalogUnit(entry);
    if (
      unit !== undefined &&
      !f.name
        .replace(/_total$/, '')
        .replace(/_per_second$/, '')
        .endsWith(`_${unit}`)
    )
      problem(`the catalog gives the unit ${unit}, so the name should end in _${unit}${entry.type === 'counter' ? '_total' : ''}`);
  }
  return out;
}

function isFloat(text: string): boolean {
  return /^[+-]?(inf|infinity|nan)$/i.test(text) || /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text);
}

function seriesOf(labels: Readonly<Record<string, string>>, without?: string): string {
  return JSON.stringify(
    Object.entries(labels)
      .filter(([k]) => k !== without)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

function familyFindings(parsed: ParsedExposition): string[] {
  const out: string[] = [];
  for (const f of families(parsed).values()) out.push(...promlint(f), ...ourLints(f));
  return out;
}

/** A TYPE line after samples of its family: promtool's parser fails ("TYPE reported after samples"). */
function lineOrderFindings(text: string): string[] {
  const out: string[] = [];
  const sampled = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const name = line.split(' ')[2] ?? '';
      if (sampled.has(name)) out.push(`parse error: TYPE for ${name} reported after its samples`);
    } else if (line !== '' && !line.startsWith('#')) {
      sampled.add(/^[^{ ]*/.exec(line)?.[0] ?? '');
    }
  }
  return out;
}

// --- capture for the stack lane -------------------------------------------------------------------

/** In PROMTOOL_CAPTURE_DIR: which test file wrote each capture, one "<file> <test>" line each. */
export const CAPTURE_SOURCES = 'sources.txt';
const capturedHashes = new Set<string>();
let captureFull = false;

/** Saves an exposition into PROMTOOL_CAPTURE_DIR (when set) for the real promtool in the stack lane. */
export function captureExposition(body: string | Buffer | Uint8Array): void {
  const dir = process.env['PROMTOOL_CAPTURE_DIR'];
  if (dir === undefined || dir === '' || captureFull) return;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (bytes.length === 0 || bytes.length > CAPTURE_MAX_BYTES) return;
  if (capturedHashes.size >= CAPTURE_MAX_FILES_PER_PROCESS) return;
  const hash = createHash('sha256').update(bytes).digest('hex');
  if (capturedHashes.has(hash)) return; // this test file saved the same body already
  capturedHashes.add(hash);
  mkdirSync(dir, { recursive: true });
  const source = basename(process.argv[1] ?? 'unknown');
  // Numbered names, created exclusively, keep the total bounded with test files running in parallel.
  for (let n = readdirSync(dir).filter((f) => f.endsWith(CAPTURE_SUFFIX)).length; n < CAPTURE_MAX_FILES; n++) {
    const name = `${String(n).padStart(3, '0')}${CAPTURE_SUFFIX}`;
    try {
      writeFileSync(join(dir, name), bytes, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    appendFileSync(join(dir, CAPTURE_SOURCES), `${name} ${source}\n`);
    return;
  }
  captureFull = true;
}
