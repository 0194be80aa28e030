/**
 * package.json's start script, `node [--flag …] dist/cli.js`: the node flags it passes are what the
 * image sets in NODE_OPTIONS and what the benchmark starts the exporter with.
 */
import { readFileSync } from 'node:fs';

export const START_SCRIPT = /^node((?:\s+--\S+)*)\s+dist\/cli\.js$/;

/** The node flags of the start script in package.json; empty when it passes none or has another form. */
export function startScriptFlags(packageJson: URL = new URL('../../package.json', import.meta.url)): string[] {
  const start = (JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts: Record<string, string> }).scripts['start'] ?? '';
  return (START_SCRIPT.exec(start)?.[1] ?? '').split(/\s+/).filter((flag) => flag !== '');
}
