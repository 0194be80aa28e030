/**
 * Builds README.md's configuration tables and `.env.example` from the settings table
 * (src/config/settings.ts), so neither can drift from what the exporter reads. `npm run docs:settings`
 * (test/tools/write-settings-doc.ts) writes them; test/settings.test.ts fails when the committed files
 * differ from what these return.
 */
import type { Collector } from '../../src/collectors/collector.js';
import { COLLECTORS } from '../../src/collectors/index.js';
import { type DocLink, defaultOf, rangeOf, SETTING_GROUPS, type Setting, settingEntries } from '../../src/config/settings.js';

/** The README's generated part sits between these two lines. */
export const README_START = '<!-- settings:start -->';
export const README_END = '<!-- settings:end -->';

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

/** `help` with the link before its final full stop: `Text ([docs/x.md](docs/x.md#a)).` */
function linked(help: string, link: DocLink | undefined): string {
  if (link === undefined) return help;
  const target = `${link.page}${link.anchor === undefined ? '' : `#${link.anchor}`}`;
  const body = help.endsWith('.') ? help.slice(0, -1) : help;
  return `${body} ([${link.page}](${target})).`;
}

function meaning(setting: Setting): string {
  const range = rangeOf(setting);
  return cell(`${linked(setting.help, setting.link)}${range === undefined ? '' : ` ${range}`}`);
}

function collectorTable(collectors: readonly Collector[]): string {
  const rows = collectors.map(
    (c) => `| \`${c.name}\` | ${c.enabledByDefault ? 'on' : 'off'} | ${cell(c.description)} | ${c.endpoints.map((e) => `\`${e}\``).join(', ')} |`,
  );
  return ['| Collector | Default | What it exports | LibreNMS API |', '|---|---|---|---|', ...rows].join('\n');
}

/** The README's configuration tables, one per group, with the markers around them. */
export function renderSettingsTable(collectors: readonly Collector[] = COLLECTORS): string {
  const parts = [
    README_START,
    '<!-- Generated from src/config/settings.ts by `npm run docs:settings`. Do not edit by hand: change the table and run the command again. -->',
  ];
  for (const [group, title] of Object.entries(SETTING_GROUPS)) {
    const rows = settingEntries()
      .filter(([, s]) => s.group === group)
      .map(([name, s]) => `| \`${name}\` | ${cell(defaultOf(s, collectors))} | ${meaning(s)} |`);
    const table = ['| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n');
    parts.push(`### ${title}\n\n${table}${group === 'collectors' ? `\n\n${collectorTable(collectors)}` : ''}`);
  }
  parts.push(README_END);
  return parts.join('\n\n');
}

/** `readme` with its generated part replaced by `table`; undefined when the markers are missing. */
export function withSettingsTable(readme: string, table: string): string | undefined {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(0, start) + table + readme.slice(end + README_END.length);
}

/** The generated part of `readme`, markers included; undefined when they are missing. */
export function settingsTableIn(readme: string): string | undefined {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  return start < 0 || end < start ? undefined : readme.slice(start, end + README_END.length);
}

/** The whole `.env.example`: the settings that have an `example`, by group, ending with one newline. */
export function renderEnvExample(): string {
  const parts = ['# Copy to .env (git ignores it) and fill in. Every variable: README.md "Configuration", or librenms-exporter --help.'];
  for (const [group, title] of Object.entries(SETTING_GROUPS)) {
    const lines = settingEntries().flatMap(([name, s]) => {
      if (s.group !== group || s.example === undefined) return [];
      const { value, active, note } = s.example;
      return [...(note === undefined ? [] : [`# ${note}`]), `${active ? '' : '# '}${name}=${value}`];
    });
    if (lines.length > 0) parts.push([`## ${title}`, ...lines].join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}
