/**
 * The settings table (src/config/settings.ts) is what the exporter reads: env.ts reads exactly its
 * variables, with its defaults, bounds and choices; `--help`, README.md's configuration tables and
 * `.env.example` are generated from it and the collectors' own list, and the committed files match
 * (`npm run docs:settings` rewrites them).
 */
import { readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import t from 'tap';
import type { Collector } from '../src/collectors/collector.js';
import { COLLECTORS } from '../src/collectors/index.js';
import { loadConfig } from '../src/config/env.js';
import { plainText, renderUsage } from '../src/config/help.js';
import { defaultCollectors, defaultOf, SETTINGS, settingEntries } from '../src/config/settings.js';
import type { Environment } from '../src/config-types.js';
import { ConfigError } from '../src/errors.js';
import { renderEnvExample, renderSettingsTable, settingsTableIn } from './helpers/settings-doc.js';

const base = { LIBRENMS_URL: 'http://localhost:8000', LIBRENMS_TOKEN: 'abc123' };

/** The problems loadConfig reports for `env` (none when it loads). */
function problemsOf(env: Environment, collectors: readonly Collector[] = COLLECTORS): readonly string[] {
  try {
    loadConfig(env, undefined, { collectors });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/** A collector declared only here, shaped like those in src/collectors/. */
const fixture: Collector = {
  name: 'interfaces',
  enabledByDefault: true,
  description: 'a fixture collector that only this test declares',
  endpoints: ['/fixture/interfaces'],
  families: [],
  async collect() {
    return { summary: {}, partialErrors: [] };
  },
};

t.test('README.md and .env.example are what the settings table generates', async (t) => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const committed = settingsTableIn(readme);
  t.ok(committed !== undefined, 'README.md has the <!-- settings:start --> and <!-- settings:end --> markers');
  t.ok(committed === renderSettingsTable(), "README.md's configuration tables are up to date (else run `npm run docs:settings`)");
  const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  t.ok(example === renderEnvExample(), '.env.example is up to date (else run `npm run docs:settings`)');
});

t.test('env.ts reads every variable of the table, and no other', async (t) => {
  const read = new Set<string>();
  const recording = new Proxy<Environment>(base, {
    get(target, name) {
      if (typeof name === 'string') read.add(name);
      return typeof name === 'string' ? target[name] : undefined;
    },
  });
  loadConfig(recording);
  t.same([...read].sort(), Object.keys(SETTINGS).sort());
});

t.test('.env.example as shipped loads, and its live lines are the defaults', async (t) => {
  const example = parseDotenv(readFileSync(new URL('../.env.example', import.meta.url), 'utf8'));
  t.same(problemsOf(example), [], 'no configuration problem');
  t.same(loadConfig(example), loadConfig({ LIBRENMS_URL: example['LIBRENMS_URL'] ?? '', LIBRENMS_TOKEN: example['LIBRENMS_TOKEN'] ?? '' }));
  for (const [name, setting] of settingEntries()) {
    if (setting.example === undefined || setting.kind === 'file') continue;
    t.same(problemsOf({ ...base, [name]: setting.example.value }), [], `${name}=${setting.example.value} is accepted`);
  }
});

t.test('each default the table states is the one that applies', async (t) => {
  const unset = loadConfig(base);
  for (const [name, setting] of settingEntries()) {
    const written = 'default' in setting ? String(setting.default) : setting.kind === 'collectors' ? defaultCollectors(COLLECTORS).join(',') : undefined;
    if (written === undefined) continue;
    t.same(loadConfig({ ...base, [name]: written }), unset, `${name}=${written} is the same as unset`);
  }
  t.equal(unset.librenmsTimezone, SETTINGS.LIBRENMS_TIMEZONE.fallback, 'LIBRENMS_TIMEZONE falls back to its fallback');
  t.notOk('librenmsTimezoneOverride' in unset, "and then LibreNMS's own offset wins");
});

t.test("numbers are checked against the table's bounds, with the documented message", async (t) => {
  for (const [name, setting] of settingEntries()) {
    if (setting.kind !== 'number') continue;
    const { min, max, integer } = setting;
    const mustBe = `${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`;
    const own = (env: Environment) => problemsOf(env).filter((p) => p.startsWith(`${name} `));
    // CACHE_MAX_AGE_SECONDS may not be below CACHE_TTL_SECONDS: the bounds of both are tried with the other at its bound.
    const partner = name === 'CACHE_TTL_SECONDS' ? { CACHE_MAX_AGE_SECONDS: String(max) } : name === 'CACHE_MAX_AGE_SECONDS' ? { CACHE_TTL_SECONDS: '0' } : {};
    t.same(own({ ...base, ...partner, [name]: String(min) }), [], `${name}=${min} is accepted`);
    t.same(own({ ...base, ...partner, [name]: String(max) }), [], `${name}=${max} is accepted`);
    t.same(own({ ...base, [name]: String(max * 2 + 1) }), [`${mustBe}, got "${max * 2 + 1}"`], `${name} above its maximum`);
    t.same(own({ ...base, [name]: String(min - 1) }), [`${mustBe}, got "${min - 1}"`], `${name} below its minimum`);
    t.same(own({ ...base, [name]: 'soon' }), [`${mustBe}, got "soon"`], `${name} not a number`);
    if (integer) t.same(own({ ...base, [name]: `${min}.5` }), [`${mustBe}, got "${min}.5"`], `${name} not whole`);
  }
});

t.test('flags and choices follow the table', async (t) => {
  for (const [name, setting] of settingEntries()) {
    if (setting.kind === 'flag') {
      t.same(problemsOf({ ...base, [name]: 'maybe' }), [`${name} must be true or false, got "maybe"`]);
      t.same(problemsOf({ ...base, [name]: String(!setting.default) }), [], `${name}=${!setting.default}`);
    }
    if (setting.kind === 'enum') {
      t.same(problemsOf({ ...base, [name]: 'Nope' }), [`${name} must be one of ${setting.choices.join(', ')}, got "Nope"`]);
      for (const choice of setting.choices) {
        t.same(problemsOf({ ...base, [name]: choice.toUpperCase() }), [], `${name}=${choice.toUpperCase()} (any case)`);
        t.match(setting.help, `\`${choice}\``, `the help of ${name} names ${choice}`);
      }
    }
  }
  t.equal(loadConfig({ ...base, PORTS_STRATEGY: 'Bulk' }).portsStrategy, 'bulk');
  t.equal(loadConfig({ ...base, LOG_LEVEL: 'DEBUG' }).logLevel, 'debug');
});

t.test('--help lists every setting with its default and help, by group, and every collector', async (t) => {
  const usage = renderUsage('1.2.3');
  const flat = usage.replace(/\s+/g, ' ');
  t.match(usage, /^librenms-exporter 1\.2\.3: /);
  for (const [name, setting] of settingEntries()) {
    const line = usage.split('\n').find((l) => l.startsWith(`  ${name}  `));
    t.ok(line, `${name} has its line`);
    const stated = plainText(defaultOf(setting, COLLECTORS));
    t.ok(line?.includes(stated === '–' ? '(not set)' : stated), `with its default: ${line}`);
    t.ok(flat.includes(plainText(setting.help).replace(/\s+/g, ' ')), `and its help: ${setting.help}`);
  }
  for (const collector of COLLECTORS) t.ok(flat.includes(collector.description), `the ${collector.name} collector and what it exports`);
  t.notMatch(usage, /see README/i, 'no setting is left to the README');
  t.ok(
    usage.split('\n').every((l) => l.length <= 110),
    'lines fit a terminal',
  );
});

t.test('a collector declared elsewhere: COLLECTORS accepts it, its default applies, --help and the README list it', async (t) => {
  const withFixture = [...COLLECTORS, fixture];
  t.ok(loadConfig(base, undefined, { collectors: withFixture }).collectors.has('interfaces'), 'on by default, as it declares');
  t.same(
    [...loadConfig({ ...base, COLLECTORS: 'ports,interfaces' }, undefined, { collectors: withFixture }).collectors],
    ['devices', 'ports', 'interfaces'],
    'COLLECTORS=ports,interfaces',
  );
  t.notOk(
    loadConfig(base, undefined, { collectors: [...COLLECTORS, { ...fixture, enabledByDefault: false }] }).collectors.has('interfaces'),
    'off by default when it declares so',
  );
  t.same(
    problemsOf({ ...base, COLLECTORS: 'interfaces' }),
    [`COLLECTORS: unknown collector "interfaces" (known: ${COLLECTORS.map((c) => c.name).join(', ')})`],
    'unknown without it',
  );

  const usage = renderUsage('1.2.3', withFixture);
  t.match(usage, `  COLLECTORS  default: ${[...defaultCollectors(COLLECTORS), 'interfaces'].join(',')}\n`, 'in the default of COLLECTORS');
  t.match(usage, /\n {6}interfaces +on +a fixture collector that only this test declares \(reads \/fixture\/interfaces\)\n/, 'with its description');
  t.match(
    renderSettingsTable(withFixture),
    '| `interfaces` | on | a fixture collector that only this test declares | `/fixture/interfaces` |',
    'and in the README',
  );
  t.notMatch(renderUsage('1.2.3'), 'interfaces', 'none of it without the fixture');
});
