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
  // Every LibreNMS we support has these in its ports table (misc/db_schema.yaml; resources/definitions/schema/ from 25.6):
  'ignore',
  'ifDuplex',
  'ifInOctets_rate',
  'ifOutOctets_rate',
  // The value of the poll before: a counter the last poll lost is stored as 0 beside it (see mapping/ports.ts).
  'ifInOctets_prev',
  'ifOutOctets_prev',
  'ifInUcastPkts_prev',
  'ifOutUcastPkts_prev',
  'ifInErrors_prev',
  'ifOutErrors_prev',
] as const;

/**
 * The oldest LibreNMS release `check` accepts: the first that has every endpoint and behaviour the
 * exporter relies on, derived from LibreNMS's history (includes/html/api_functions.inc.php):
 * `/ports` as an Eloquent query that validates `columns=` and answers only what the token may read
 * (get_all_ports, LibreNMS PR #14646, in 22.11.0), `/devices/:id/ports` with `columns=`, `/system`,
 * `/resources/sensors`, `/alerts` and `/devicegroups/:name` (all older). Later changes (the 404 "No
 * ports found" of 24.6.0, the alert rule name of 25.3.0, boolean device flags of 25.9.0, the rendered
 * display name of 26.5.0) are read in both forms. docs/librenms-versions.md has the table.
 */
export const MIN_LIBRENMS_VERSION = '22.11.0';

/** A LibreNMS version as `/system` `local_ver` reports it. */
export interface LibreNmsVersion {
  /** [major, minor, patch] of the release the build belongs to. */
  readonly release: readonly [number, number, number];
  /**
   * How far the build is from that release: `dev` builds come before it (`26.8.0-dev.12+abcdef`,
   * LibreNMS 25.7 and later: the next release and the commits since the last one), `post` builds
   * after it (`24.10.1-45-gabc1234`, a git describe before 25.7), `release` is the release itself.
   */
  readonly stage: 'dev' | 'release' | 'post';
  /** Commits counted by a dev or post build (0 for a release). */
  readonly commits: number;
}

const VERSION_PATTERN = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-dev(?:\.(\d+))?(?:\+[0-9A-Za-z.-]*)?|-(\d+)-g[0-9a-f]+|\+[0-9A-Za-z.-]*)?(?:$|[\s-])/;

/**
 * Reads a LibreNMS version string: `26.7.0`, a git describe such as `24.10.1-45-gabc1234` (before
 * 25.7), or `26.8.0-dev.12+abcdef` (25.7 and later: LibreNMS/Util/Version.php, name()).
 * @returns undefined when the text does not start with a release number
 */
export function readVersion(version: string): LibreNmsVersion | undefined {
  const match = VERSION_PATTERN.exec(version.trim());
  if (match === null) {
    const loose = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
    if (loose === null) return undefined;
    return { release: [Number(loose[1]), Number(loose[2]), Number(loose[3] ?? 0)], stage: 'release', commits: 0 };
  }
  const release: [number, number, number] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (match[0].includes('-dev')) return { release, stage: 'dev', commits: Number(match[4] ?? 0) };
  if (match[5] !== undefined) return { release, stage: 'post', commits: Number(match[5]) };
  return { release, stage: 'release', commits: 0 };
}

/**
 * The release number of a LibreNMS version string (see {@link readVersion}).
 * @returns [major, minor, patch], or undefined when the text does not start with a release number
 */
export function parseVersion(version: string): [number, number, number] | undefined {
  const parsed = readVersion(version);
  return parsed === undefined ? undefined : [...parsed.release];
}

const STAGE_ORDER = { dev: 0, release: 1, post: 2 } as const;

/**
 * Compares LibreNMS versions: release numbers first, then a `-dev` build before its release and a git
 * describe (`-45-gabc`) after it, then the commit counts. Text without a release number counts as 0.0.0.
 */
export function compareVersions(a: string, b: string): number {
  const x = readVersion(a) ?? { release: [0, 0, 0], stage: 'release', commits: 0 };
  const y = readVersion(b) ?? { release: [0, 0, 0], stage: 'release', commits: 0 };
  for (let i = 0; i < 3; i++) {
    const d = (x.release[i] ?? 0) - (y.release[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  const stage = STAGE_ORDER[x.stage] - STAGE_ORDER[y.stage];
  if (stage !== 0) return Math.sign(stage);
  return Math.sign(x.commits - y.commits);
}

/**
 * The UTC offset in `/system` `local_date` (`2026-07-20T14:00:13+07:00`), as `+07:00`. LibreNMS writes
 * that date with PHP's `date('c', …)` in PHP's configured zone (LibreNMS/Util/Version.php, date()),
 * the zone its poller also writes `devices.last_polled` in. It is the offset at that date (the
 * install's commit date), so a zone with summer time can be an hour off for half the year: set
 * LIBRENMS_TIMEZONE then.
 * @returns `+HH:MM` / `-HH:MM`, `UTC` for `Z` or `+00:00`, undefined when the text has no offset
 */
export function offsetOfLocalDate(localDate: unknown): string | undefined {
  if (typeof localDate !== 'string') return undefined;
  const match = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/.exec(localDate.trim());
  if (match === null) return undefined;
  const zone = match[1] ?? '';
  if (zone === 'Z') return 'UTC';
  const offset = `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const minutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2));
  if (minutes > 14 * 60 || Number(zone.slice(-2)) >= 60) return undefined;
  return minutes === 0 ? 'UTC' : offset;
}

/**
 * The first LibreNMS release that serves `GET /api/v0/pollers` (list_pollers): 26.1.0, LibreNMS PR
 * #18742 (930165491b). Older releases answer 404 "This API route doesn't exist." (api_not_found).
 */
export const POLLERS_ROUTE_SINCE = '26.1.0';

/**
 * The first release whose `/devices/:hostname/health/device_processor|device_mempool|device_storage`
 * list the device's ids and serve one item with its values per id: 26.7.0 (LibreNMS PRs #19953 and
 * #19957, includes/html/api_functions.inc.php, list_available_health_graphs). Before it the lists are
 * always empty and the by-id route answers the `sensors` row with that id, of any device.
 */
export const HEALTH_VALUES_SINCE = '26.7.0';

/** The first release with `/devices/:hostname/wireless-sensors`, one request per device (LibreNMS PR #19461). */
export const WIRELESS_SENSORS_SINCE = '26.6.0';

/**
 * Whether a LibreNMS version serves a route that came in release `since`: true from that release on,
 * false for releases before it and for `-dev` builds of an earlier release (they come before that
 * release), undefined when only asking can tell: a `-dev` build of `since` itself (it may or may not
 * have the change yet), a git-describe build after an earlier release whose next release could be
 * `since`, or text that is no version. A build after a release comes before the next one, which is at
 * most the first release of the next year, so `25.4.0-45-gabc` cannot hold what came in 26.7.0.
 */
export function servesRouteSince(version: string | undefined, since: string): boolean | undefined {
  const parsed = version === undefined ? undefined : readVersion(version);
  const first = readVersion(since);
  if (parsed === undefined || first === undefined) return undefined;
  const release = parsed.release.join('.');
  const byRelease = compareVersions(release, since);
  if (byRelease > 0) return true;
  if (byRelease === 0) return parsed.stage === 'dev' ? undefined : true;
  if (parsed.stage !== 'post') return false;
  return compareVersions(since, `${parsed.release[0] + 1}.1.0`) <= 0 ? undefined : false;
}
