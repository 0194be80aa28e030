/**
 * Run by .ci/run after the whole suite: greps every log line and response body the tests captured
 * (LEAK_CAPTURE_DIR) for the API tokens and SNMP credentials the LibreNMS double holds, and for the
 * secrets other lanes list there (`secrets-*.txt`, one per line: the field lane's real tokens).
 * Prints "leak check: N files, M bytes, no secret found" or each finding, and exits 1 on a leak.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TOKEN } from '../librenms-double/double.js';
import { LAB_COMMUNITY, labState } from '../librenms-double/fixtures.js';

const dir = process.env['LEAK_CAPTURE_DIR'];
if (dir === undefined || dir === '') {
  process.stderr.write('LEAK_CAPTURE_DIR is not set\n');
  process.exit(2);
}
const secrets = new Set<string>([DEFAULT_TOKEN, LAB_COMMUNITY]);
for (const device of labState().devices) {
  for (const value of [device.community, device.authpass, device.cryptopass]) if (typeof value === 'string' && value.length >= 6) secrets.add(value);
}
for (const file of readdirSync(dir).filter((f) => f.startsWith('secrets-'))) {
  for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) if (line.trim().length >= 6) secrets.add(line.trim());
}
const files = readdirSync(dir).filter((f) => f.startsWith('capture-'));
let bytes = 0;
let leaks = 0;
for (const file of files) {
  const text = readFileSync(join(dir, file), 'utf8');
  bytes += text.length;
  for (const secret of secrets) {
    if (text.includes(secret)) {
      leaks++;
      process.stdout.write(`leak check: a secret (${secret.slice(0, 3)}…) appears in ${file}\n`);
    }
  }
}
if (files.length === 0) {
  process.stdout.write('leak check: nothing was captured\n');
  process.exit(1);
}
process.stdout.write(`leak check: ${files.length} files, ${bytes} bytes, ${leaks === 0 ? 'no secret found' : `${leaks} leak(s)`}\n`);
process.exit(leaks === 0 ? 0 : 1);
