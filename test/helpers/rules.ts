/**
 * Test helpers for the Prometheus rule files in prometheus/.
 *
 * shortenRules() makes a test-only variant of a rules file in which every alert's `for:` is replaced,
 * so an end-to-end test against a real Prometheus does not wait 10-15 minutes for an alert to fire.
 * Comments and layout are kept (yaml Document API); only existing `for:` keys change.
 */
import { isMap, isSeq, parseDocument } from 'yaml';

/** Prometheus duration, e.g. 30s, 1m, 1h30m (a single 0 is also accepted). */
const DURATION = /^(0|(\d+(ms|s|m|h|d|w|y))+)$/;

export function shortenRules(yamlText: string, forDuration: string): string {
  if (!DURATION.test(forDuration)) {
    throw new Error(`shortenRules: "${forDuration}" is not a Prometheus duration`);
  }
  const doc = parseDocument(yamlText);
  if (doc.errors.length > 0) {
    throw new Error(`shortenRules: invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
  }
  const groups = doc.get('groups');
  if (!isSeq(groups)) {
    throw new Error('shortenRules: no "groups" list in the rules file');
  }
  for (const group of groups.items) {
    if (!isMap(group)) continue;
    const rules = group.get('rules');
    if (!isSeq(rules)) continue;
    for (const rule of rules.items) {
      if (isMap(rule) && rule.has('for')) {
        rule.set('for', forDuration);
      }
    }
  }
  return doc.toString({ lineWidth: 0 });
}
