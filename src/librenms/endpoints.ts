/**
 * What the exporter relies on in the LibreNMS API: the columns it reads and the versions it supports.
 * docs/librenms-versions.md has the table of what each LibreNMS release changes for us.
 */

/** Port columns read from LibreNMS; all exist in the `ports` table (asking for others gives HTTP 400). */
export const PORT_COLUMNS = [
  'port_id',
  'device_id',
  'ifIndex',
  'ifName',
  'ifDescr',
  'ifAlias',
  'ifType',
  'ifSpeed',
  'ifMtu',
  'ifOperStatus',
  'ifAdminStatus',
  'ifLastChange',
  'ifInOctets',
  'ifOutOctets',
  'ifInUcastPkts',
  'ifOutUcastPkts',
  'ifInErrors',
  'ifOutErrors',
  'poll_time',
  'disabled',
  'deleted',
  // Every LibreNMS we support has these in its ports table (misc/db_schema.yaml):
  'ignore',
  'ifDuplex',
  'ifInOctets_rate',
  'ifOutOctets_rate',
] as const;

/**
 * The oldest LibreNMS release `check` accepts. LibreNMS ships a release every month and supports only
 * the newest; the API shapes this exporter is tested against (the LibreNMS double and the recorded
 * fixtures) are those of 24.x to 26.x: the Laravel `/ports` endpoint that validates `columns=`, typed
 * JSON numbers, the 404 "No ports found" of a device without ports (2024-05). Releases before 24.1
 * (January 2024) are untested, so `check` says so rather than let the exporter guess.
 */
export const MIN_LIBRENMS_VERSION = '24.1.0';

/**
 * The release number of a LibreNMS version string, as LibreNMS reports it in `/system` `local_ver`:
 * `26.7.0`, a git describe such as `24.10.1-45-gabc1234`, or from 25.7 on `26.8.0-dev.12+abcdef`.
 * @returns [major, minor, patch], or undefined when the text does not start with a release number
 */
export function parseVersion(version: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (match === null) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** Compares release numbers such as 26.7.0, 24.10.1-45-gabc1234, 1.70.1 (numeric parts only). */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a) ?? [0, 0, 0];
  const y = parseVersion(b) ?? [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
