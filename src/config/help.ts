/**
 * The text of `librenms-exporter --help`: the commands, then every setting of the settings table with
 * its default and help, by group, and the collectors with their default and what they export. Pure:
 * `cli.ts` prints it.
 */
import type { Collector } from '../collectors/collector.js';
import { COLLECTORS } from '../collectors/index.js';
import { defaultOf, rangeOf, SETTING_GROUPS, SETTINGS, settingEntries } from './settings.js';

/** Width the help text is wrapped to. */
const WIDTH = 100;
const INDENT = '      ';

/** Markdown inline (`code`) as plain text. */
export function plainText(markdown: string): string {
  return markdown.replace(/`/g, '');
}

/** `text` wrapped to {@link WIDTH} columns, each line starting with `indent`. */
function wrap(text: string, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines.join('\n');
}

/** The usage text, ending with a newline. */
export function renderUsage(version: string, collectors: readonly Collector[] = COLLECTORS): string {
  const parts = [
    `librenms-exporter ${version}: Prometheus exporter for LibreNMS devices and ports

Usage:
  librenms-exporter              start the exporter: serves /metrics on LISTEN_ADDRESS (default ${SETTINGS.LISTEN_ADDRESS.default})
  librenms-exporter check        check the configuration and LibreNMS, print what the exporter would
                                 serve, and exit: 0 ready, 2 invalid configuration, 3 wrong URL or not
                                 LibreNMS, 4 token rejected or not allowed, 5 TLS problem, 6 query strings
                                 dropped by the web server, 7 LibreNMS too old, 1 anything else
  librenms-exporter --help       this text
  librenms-exporter --version    the version

Configuration: environment variables, or a .env file in the current directory. An invalid value stops
the exporter (exit code 2) with every problem listed.`,
  ];
  for (const [group, title] of Object.entries(SETTING_GROUPS)) {
    const lines = [`${title}:`];
    for (const [name, setting] of settingEntries().filter(([, s]) => s.group === group)) {
      const fallback = plainText(defaultOf(setting, collectors));
      lines.push(`  ${name}  ${fallback.startsWith('(') ? fallback : fallback === '–' ? '(not set)' : `default: ${fallback}`}`);
      const link = setting.link === undefined ? undefined : `See ${setting.link.page}${setting.link.anchor === undefined ? '' : `#${setting.link.anchor}`}.`;
      lines.push(wrap([plainText(setting.help), rangeOf(setting), link].filter((part) => part !== undefined).join(' '), INDENT));
      if (setting.kind === 'collectors') lines.push(collectorLines(collectors));
    }
    parts.push(lines.join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}

/** One line per collector: its name, whether it is on by default, what it exports and what it reads. */
function collectorLines(collectors: readonly Collector[]): string {
  const width = Math.max(...collectors.map((c) => c.name.length));
  return collectors
    .map((c) => {
      const head = `${INDENT}${c.name.padEnd(width)}  ${c.enabledByDefault ? 'on ' : 'off'}  `;
      const text = wrap(`${c.description} (reads ${c.endpoints.join(', ')})`, ' '.repeat(head.length));
      return head + text.slice(head.length);
    })
    .join('\n');
}
