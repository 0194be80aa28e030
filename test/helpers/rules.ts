/**
 * Test helpers for the Prometheus rule files in prometheus/.
 *
 * shortenRules() makes a test-only variant of a rules file in which every alert's `for:` is replaced,
 * so an end-to-end test against a real Prometheus does not wait 10-15 minutes for an alert to fire.
 * Comments and layout are kept (yaml Document API); only existing `for:` keys change.
 */
import { isMap, isSeq, parseDocument, type YAMLMap } from 'yaml';

/** Prometheus duration, e.g. 30s, 1m, 1h30m (a single 0 is also accepted). */
const DURATION = /^(0|(\d+(ms|s|m|h|d|w|y))+)$/;

export function shortenRules(yamlText: string, forDuration: string): string {
  if (!DURATION.test(forDuration)) {
    throw new Error(`shortenRules: "${forDuration}" is not a Prometheus duration`);
  }
  return editRules('shortenRules', yamlText, (rule) => {
    if (rule.has('for')) rule.set('for', forDuration);
  });
}

/** Applies `edit` to every rule map of a rules file; comments and layout are kept. */
function editRules(caller: string, yamlText: string, edit: (rule: YAMLMap) => void): string {
  const doc = parseDocument(yamlText);
  if (doc.errors.length > 0) {
    throw new Error(`${caller}: invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
  }
  const groups = doc.get('groups');
  if (!isSeq(groups)) {
    throw new Error(`${caller}: no "groups" list in the rules file`);
  }
  for (const group of groups.items) {
    if (!isMap(group)) continue;
    const rules = group.get('rules');
    if (!isSeq(rules)) continue;
    for (const rule of rules.items) {
      if (isMap(rule)) edit(rule);
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** Replaces every rule's `expr` with `change(expr)`. */
function editExprs(caller: string, yamlText: string, change: (expr: string) => string): string {
  return editRules(caller, yamlText, (rule) => {
    const expr = rule.get('expr');
    if (typeof expr === 'string') rule.set('expr', change(expr));
  });
}

/**
 * Mutation for tests: removes `label` from every on(), ignoring(), by() and without() list of the
 * rules text, as a rule written without it would read. The unit tests of several LibreNMS must then fail.
 */
export function dropLabelFromJoins(yamlText: string, label: string): string {
  return editExprs('dropLabelFromJoins', yamlText, (expr) =>
    expr.replace(/\b(on|ignoring|by|without)\s*\(([^()]*)\)/g, (_m, kw: string, list: string) => {
      const kept = list
        .split(',')
        .map((l) => l.trim())
        .filter((l) => l !== '' && l !== label);
      return `${kw}(${kept.join(', ')})`;
    }),
  );
}

/**
 * Mutation for tests: makes every bare `up` selector of the rules `up{job="<job>"}`, as rules that
 * depend on the job name would read. Unit tests that use other job names must then fail.
 */
export function pinJobName(yamlText: string, job: string): string {
  return editExprs('pinJobName', yamlText, (expr) => expr.replace(/(?<![\w:{"])up(?![\w{:"(])/g, `up{job="${job}"}`));
}

/**
 * Renames every job of a promtool unit test file: `job="x"` in series selectors, `job: x` in
 * expected labels and "job x" in expected annotations. With rules that do not depend on the job
 * name, the renamed tests pass as the originals do.
 */
export function renameJobs(testYaml: string, rename: (job: string) => string): string {
  const jobs = new Set<string>();
  for (const m of testYaml.matchAll(/\bjob="([^"]+)"/g)) if (m[1] !== undefined) jobs.add(m[1]);
  let out = testYaml;
  for (const job of [...jobs].sort((a, b) => b.length - a.length)) {
    const esc = job.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out
      .replace(new RegExp(`\\bjob="${esc}"`, 'g'), `job="${rename(job)}"`)
      .replace(new RegExp(`(\\bjob: )"?${esc}"?$`, 'gm'), `$1"${rename(job)}"`)
      .replace(new RegExp(`\\bjob ${esc}\\b(?![\\w-])`, 'g'), `job ${rename(job)}`);
  }
  return out;
}

/**
 * Replaces `from` with `to` in every rule expression (comments and annotations untouched): for an
 * end-to-end test whose LibreNMS "polls" every 2 s, the time windows of the rules that compare a
 * state with its value some polls back (`offset 5m`) are shortened the way `for:` is.
 */
export function replaceInExprs(yamlText: string, from: string, to: string): string {
  return editExprs('replaceInExprs', yamlText, (expr) => expr.replaceAll(from, to));
}
