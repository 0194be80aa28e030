/**
 * A strict parser of the Prometheus text format 0.0.4, for tests: it rejects anything Prometheus
 * would reject (bad names, bad escapes, samples of a family split apart, duplicate series) and
 * returns the samples for comparison.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface ParsedExposition {
  readonly samples: Sample[];
  readonly types: ReadonlyMap<string, string>;
  readonly helps: ReadonlyMap<string, string>;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const SUFFIXES = ['_bucket', '_count', '_sum', '_total', '_created', '_info'];

export class ExpositionError extends Error {}

function familyOf(name: string, types: ReadonlyMap<string, string>): string {
  if (types.has(name)) return name;
  for (const suffix of SUFFIXES) {
    if (name.endsWith(suffix) && types.has(name.slice(0, -suffix.length))) return name.slice(0, -suffix.length);
  }
  return name;
}

export function parseExposition(text: string): ParsedExposition {
  if (text.length > 0 && !text.endsWith('\n')) throw new ExpositionError('exposition does not end with a newline');
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  const seenSeries = new Set<string>();
  const finishedFamilies = new Set<string>();
  let currentFamily: string | undefined;
  const lines = text.split('\n');
  lines.pop();
  lines.forEach((line, index) => {
    const where = `line ${index + 1}`;
    if (line.startsWith('#')) {
      const match = /^# (HELP|TYPE) ([^ ]+) ?(.*)$/.exec(line);
      if (match === null) return; // a plain comment
      const [, kind, name = '', rest = ''] = match;
      if (!METRIC_NAME.test(name)) throw new ExpositionError(`${where}: bad metric name "${name}"`);
      if (kind === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) throw new ExpositionError(`${where}: bad type "${rest}"`);
        if (types.has(name)) throw new ExpositionError(`${where}: second TYPE for ${name}`);
        types.set(name, rest);
      } else {
        if (helps.has(name)) throw new ExpositionError(`${where}: second HELP for ${name}`);
        if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ''))) throw new ExpositionError(`${where}: bad escape in HELP`);
        helps.set(name, rest);
      }
      if (currentFamily !== name) {
        if (currentFamily !== undefined) finishedFamilies.add(currentFamily);
        if (finishedFamilies.has(name)) throw new ExpositionError(`${where}: family ${name} appears twice`);
        currentFamily = name;
      }
      return;
    }
    if (line.trim() === '') return; // the format ignores empty lines
    const sample = parseSampleLine(line, where);
    const family = familyOf(sample.name, types);
    if (family !== currentFamily) {
      if (currentFamily !== undefined) finishedFamilies.add(currentFamily);
      if (finishedFamilies.has(family)) throw new ExpositionError(`${where}: samples of ${family} are not together`);
      currentFamily = family;
    }
    const key = seriesKey(sample);
    if (seenSeries.has(key)) throw new ExpositionError(`${where}: duplicate series ${key}`);
    seenSeries.add(key);
    samples.push(sample);
  });
  return { samples, types, helps };
}

function parseSampleLine(line: string, where: string): Sample {
  let i = 0;
  while (i < line.length && line[i] !== '{' && line[i] !== ' ') i++;
  const name = line.slice(0, i);
  if (!METRIC_NAME.test(name)) throw new ExpositionError(`${where}: bad metric name "${name}"`);
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    while (line[i] !== '}') {
      const eq = line.indexOf('=', i);
      if (eq < 0) throw new ExpositionError(`${where}: label without =`);
      const labelName = line.slice(i, eq);
      if (!LABEL_NAME.test(labelName)) throw new ExpositionError(`${where}: bad label name "${labelName}"`);
      if (line[eq + 1] !== '"') throw new ExpositionError(`${where}: label value not quoted`);
      let j = eq + 2;
      let value = '';
      for (;;) {
        const c = line[j];
        if (c === undefined) throw new ExpositionError(`${where}: unterminated label value`);
        if (c === '"') break;
        if (c === '\\') {
          const next = line[j + 1];
          if (next === '\\') value += '\\';
          else if (next === '"') value += '"';
          else if (next === 'n') value += '\n';
          else throw new ExpositionError(`${where}: bad escape \\${next ?? ''}`);
          j += 2;
          continue;
        }
        value += c;
        j++;
      }
      if (Object.hasOwn(labels, labelName)) throw new ExpositionError(`${where}: label ${labelName} twice`);
      labels[labelName] = value;
      i = j + 1;
      if (line[i] === ',') i++;
      else if (line[i] !== '}') throw new ExpositionError(`${where}: expected , or } after label`);
    }
    i++;
  }
  if (line[i] !== ' ') throw new ExpositionError(`${where}: expected a space before the value`);
  const parts = line.slice(i + 1).split(' ');
  const valueText = parts[0] ?? '';
  if (parts.length > 2) throw new ExpositionError(`${where}: trailing fields`);
  const value = parseValue(valueText);
  if (value === undefined) throw new ExpositionError(`${where}: bad value "${valueText}"`);
  return { name, labels, value };
}

function parseValue(text: string): number | undefined {
  // Go's ParseFloat, which Prometheus uses, takes NaN and Inf in any letter case.
  const lower = text.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === '+inf' || lower === 'inf' || lower === '+infinity' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

export function seriesKey(sample: { name: string; labels: Readonly<Record<string, string>> }): string {
  const labels = Object.entries(sample.labels)
    .filter(([, v]) => v !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
  return `${sample.name}{${labels}}`;
}

/** The value of the one sample matching name and labels (a subset); throws when absent or ambiguous. */
export function valueOf(parsed: ParsedExposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = find(parsed, name, labels);
  if (found.length > 1) throw new Error(`${found.length} samples match ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

export function find(parsed: ParsedExposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return parsed.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}
