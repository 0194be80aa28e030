/**
 * The documentation stays true: docs/metrics.md is what the catalog generates, and every relative link
 * (with its #anchor) in every Markdown file of the repository resolves. External http(s) links are not
 * fetched: the tests run offline.
 */

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { renderMetricsDoc } from './helpers/metrics-doc.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

t.test('docs/metrics.md is generated from the metric catalog', async (t) => {
  const path = join(ROOT, 'docs', 'metrics.md');
  const committed = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const current = committed === renderMetricsDoc();
  const outdated = 'docs/metrics.md is out of date with the metric catalog: run `npm run docs:metrics`';
  t.ok(current, current ? 'docs/metrics.md matches the catalog' : outdated);
});

/** Every Markdown file of the repository: tracked, plus new ones not ignored by git. */
function markdownFiles(): string[] {
  let listed: string[];
  try {
    const git = (...args: string[]): string[] =>
      execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .split('\n')
        .filter((line) => line !== '');
    // Untracked files in dot-directories (tool caches such as .cache/) are not documentation; tracked files always count.
    const inDotDirectory = (file: string): boolean => file.split('/').some((part) => part.startsWith('.'));
    const untracked = git('ls-files', '--others', '--exclude-standard', '--', '*.md').filter((file) => !inDotDirectory(file));
    listed = [...git('ls-files', '--', '*.md'), ...untracked];
  } catch {
    listed = walk(ROOT).map((file) => relative(ROOT, file).split(sep).join('/'));
  }
  return [...new Set(listed)].filter((file) => existsSync(join(ROOT, file)) && !file.startsWith('node_modules/')).sort();
}

/** Without git (an unpacked tarball): every .md outside dependencies, build output and dot-directories. */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.name.endsWith('.md')) out.push(path);
  }
  return out;
}

/** The text with fenced code blocks blanked (line numbers kept), so code is not read as links or headings. */
function withoutCodeBlocks(text: string): string {
  const lines = text.split('\n');
  let fence: string | undefined;
  return lines
    .map((line) => {
      const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence === undefined) {
        if (marker !== undefined) {
          fence = marker;
          return '';
        }
        return line;
      }
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
      return '';
    })
    .join('\n');
}

/** Inline code spans blanked, so `[a](b)` written as code is not a link. */
function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, (span) => ' '.repeat(span.length));
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function slugOf(heading: string): string {
  const text = heading
    .replace(/<[^>]*>/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .replace(/\*\*|__|\*/g, '')
    .trim();
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a Markdown text offers: heading slugs (with GitHub's -1, -2 for repeats) and explicit ids. */
function anchorsIn(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const add = (heading: string): void => {
    const slug = slugOf(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  };
  const lines = withoutCodeBlocks(markdown).split('\n');
  lines.forEach((line, i) => {
    const atx = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (atx?.[1] !== undefined) add(atx[1]);
    const previous = lines[i - 1];
    if (/^ {0,3}(=+|-+)\s*$/.test(line) && previous !== undefined && /\S/.test(previous) && !/^\s*([-*+>|]|#|\d+\.)/.test(previous)) add(previous);
    for (const match of line.matchAll(/<a\s[^>]*\b(?:id|name)="([^"]+)"/gi)) if (match[1] !== undefined) anchors.add(match[1]);
  });
  return anchors;
}

const anchorCache = new Map<string, Set<string>>();

function anchorsOf(file: string): Set<string> {
  let anchors = anchorCache.get(file);
  if (anchors === undefined) {
    anchors = anchorsIn(readFileSync(file, 'utf8'));
    anchorCache.set(file, anchors);
  }
  return anchors;
}

/** Link targets of a Markdown text with their line numbers: inline links and images, reference definitions, HTML href/src. */
function linksIn(markdown: string): { line: number; target: string }[] {
  const links: { line: number; target: string }[] = [];
  withoutCodeBlocks(markdown)
    .split('\n')
    .forEach((raw, i) => {
      const line = withoutCodeSpans(raw);
      for (const m of line.matchAll(/!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) {
        if (m[1] !== undefined) links.push({ line: i + 1, target: m[1].replace(/^<|>$/g, '') });
      }
      const definition = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(line);
      if (definition?.[1] !== undefined) links.push({ line: i + 1, target: definition[1].replace(/^<|>$/g, '') });
      for (const m of line.matchAll(/<(?:a|img)\s[^>]*\b(?:href|src)="([^"]*)"/gi)) {
        if (m[1] !== undefined) links.push({ line: i + 1, target: m[1] });
      }
    });
  return links;
}

/** Why a link does not resolve, or undefined when it does. */
function problemWith(file: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return undefined; // http(s), mailto: not fetched
  const hash = target.indexOf('#');
  const pathPart = hash < 0 ? target : target.slice(0, hash);
  const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
  let path: string;
  try {
    path = decodeURIComponent(pathPart.split('?')[0] ?? '');
  } catch {
    return 'not a valid URL path';
  }
  const resolved = path === '' ? file : path.startsWith('/') ? join(ROOT, path) : resolve(dirname(file), path);
  const inside = relative(ROOT, resolved);
  if (inside.startsWith('..')) return 'points outside the repository';
  if (!existsSync(resolved)) return `${inside.split(sep).join('/') || '.'} does not exist`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!statSync(resolved).isFile() || !resolved.endsWith('.md')) return undefined; // anchors of non-Markdown files are not checked
  if (anchorsOf(resolved).has(anchor)) return undefined;
  return `no heading with the anchor #${anchor} in ${relative(ROOT, resolved).split(sep).join('/')}`;
}

t.test('every relative link in the Markdown files resolves', async (t) => {
  const files = markdownFiles();
  t.ok(files.includes('README.md'), 'README.md is among the files checked');
  const broken: string[] = [];
  let checked = 0;
  for (const name of files) {
    const file = join(ROOT, name);
    for (const { line, target } of linksIn(readFileSync(file, 'utf8'))) {
      checked++;
      const problem = problemWith(file, target);
      if (problem !== undefined) broken.push(`${name}:${line}: (${target}) ${problem}`);
    }
  }
  t.ok(checked > 0, `${checked} links checked in ${files.length} files`);
  t.strictSame(broken, [], broken.length === 0 ? 'no broken links' : `broken links:\n${broken.join('\n')}`);
});

t.test('the link checker itself', async (t) => {
  t.equal(slugOf('Point it at your LibreNMS'), 'point-it-at-your-librenms');
  t.equal(slugOf('`/metrics?group=` and `/probe?target=`'), 'metricsgroup-and-probetarget');
  t.equal(slugOf('Why 60 seconds?'), 'why-60-seconds');
  t.equal(slugOf('`librenms_up 0` but `check` says ready'), 'librenms_up-0-but-check-says-ready');
  t.equal(slugOf('ขั้นที่ 1: ลอง demo ก่อน'), 'ขั้นที่-1-ลอง-demo-ก่อน');
  t.equal(slugOf('Exit 2: The configuration is invalid'), 'exit-2-the-configuration-is-invalid');
  t.equal(withoutCodeSpans('see `[a](b)` and [c](d)'), `see ${' '.repeat(8)} and [c](d)`);
  const sample = [
    '# Title',
    'An [inline](docs/a.md#part) link, an ![image](img/x.png "title"), `[code](not-a-link.md)` and <https://example.net>.',
    '```sh',
    'echo "[fenced](not-a-link.md)"',
    '```',
    '<a href="docs/b.md">html</a>',
    '[ref]: CHANGELOG.md',
    '## Title',
    'Setext heading',
    '--------------',
  ].join('\n');
  t.strictSame(
    linksIn(sample).map((l) => `${l.line}:${l.target}`),
    ['2:docs/a.md#part', '2:img/x.png', '6:docs/b.md', '7:CHANGELOG.md'],
    'inline links, images, HTML and reference definitions; nothing from code',
  );
  t.strictSame([...anchorsIn(sample)].sort(), ['setext-heading', 'title', 'title-1'], 'repeated headings get -1, setext headings count');
});

t.test('docs/prometheus.md: every scrape config with several exporters names their LibreNMS (issue 24, item 7)', (t) => {
  // The rules tell LibreNMS instances apart by librenms_instance: a "one exporter per LibreNMS" config
  // without it makes one LibreNMS's outage a mere warning (oncall.test.yml, item 7).
  const text = readFileSync(join(ROOT, 'docs/prometheus.md'), 'utf8');
  const section = text.slice(text.indexOf('**One exporter per LibreNMS**'), text.indexOf('## One job per device group'));
  t.ok(section.length > 0, 'the section exists');
  const yaml = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  t.ok(yaml.length > 0, 'it shows a scrape config');
  for (const block of yaml) {
    const targets = [...block.matchAll(/targets: \[([^\]]*)\]/g)].map((m) => m[1] ?? '');
    const labelled = [...block.matchAll(/labels: \{ librenms_instance: \w+ \}/g)].length;
    t.equal(labelled, targets.length, 'each target carries librenms_instance');
    t.ok(
      targets.every((list) => list.split(',').length === 1),
      'one exporter per target entry, so each gets its own label',
    );
  }
  t.end();
});
