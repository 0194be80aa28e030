/**
 * Runs the real `promtool check metrics` (Debian package prometheus) on exposition text. Only the stack
 * lane (test/stack/) spawns it; the unit lane checks in process with ./lint.ts.
 */
import { spawn } from 'node:child_process';
import { ALL_FAMILIES } from '../../src/exposition/catalog.js';

export interface PromtoolResult {
  readonly code: number | null;
  readonly output: string;
  /** Findings other than the accepted one (see {@link ACCEPTED_FINDING}). */
  readonly findings: string[];
}

/**
 * The one promtool lint we accept, and only for families whose contract labels are IF-MIB/LibreNMS
 * names (ifName, ifIndex, ifAlias, sysName, ...): promtool asks for snake_case label names, while our
 * public contract keeps the names network engineers know from snmp_exporter and IF-MIB.
 */
export const ACCEPTED_FINDING = "label names should be written in 'snake_case' not 'camelCase'";
const CAMEL_FAMILIES = new Set(ALL_FAMILIES.filter((f) => f.labels.some((l) => /[a-z][A-Z]/.test(l))).map((f) => f.name));

/** Whether a finding line ("<family> <text>", as promtool prints it) is the accepted one. */
export function isAcceptedFinding(line: string): boolean {
  const [family, ...rest] = line.split(' ');
  return rest.join(' ') === ACCEPTED_FINDING && CAMEL_FAMILIES.has(family ?? '');
}

/** The promtool binary: $PROMTOOL, else `promtool` on PATH. Only the stack lane runs it. */
export const PROMTOOL = process.env['PROMTOOL'] ?? 'promtool';

export function promtoolCheckMetrics(text: string | Buffer | Uint8Array): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const findings = output
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '')
        .filter((line) => !isAcceptedFinding(line));
      resolve({ code: findings.length === 0 ? 0 : code, output, findings });
    });
    child.stdin.on('error', () => {}); // promtool stops reading at a parse error; its output says why
    child.stdin.end(text);
  });
}
