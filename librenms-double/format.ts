/** Value formatting the way LibreNMS/PHP/MySQL present it. */

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** MySQL TIMESTAMP as fetched by raw SQL: 'Y-m-d H:i:s' (session time zone: UTC here) */
export function sqlDate(epoch: number | null): string | null {
  if (epoch === null) return null;
  const d = new Date(epoch * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Eloquent datetime cast serialisation: ISO-8601 UTC with microseconds, e.g. 2026-08-14T10:05:07.000000Z */
export function isoDate(epoch: number | null): string | null {
  if (epoch === null) return null;
  const d = new Date(epoch * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.000000Z`;
}

/** MySQL DECIMAL(p, scale) fetched by PDO: a string with exactly `scale` decimals */
export function decimalString(v: number | null, scale: number): string | null {
  return v === null ? null : v.toFixed(scale);
}

function trimNumber(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** LibreNMS Number::formatSi($value, 2, 3, $suffix), e.g. '3.1 Mbps', '0 bps' */
export function formatSi(value: number, suffix: string): string {
  let v = Math.abs(value);
  const neg = value < 0;
  let ext = '';
  if (v >= 0.1) {
    const sizes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
    for (let i = 1; i < sizes.length && v >= 1000; i++) {
      v /= 1000;
      ext = sizes[i] ?? '';
    }
  } else {
    const sizes = ['', 'm', 'u', 'n', 'p'];
    for (let i = 1; i < sizes.length && v !== 0 && v <= 0.1; i++) {
      v *= 1000;
      ext = sizes[i] ?? '';
    }
  }
  const num = trimNumber((Math.round(v * 100) / 100).toFixed(3));
  return `${neg ? '-' : ''}${num} ${ext}${suffix}`;
}

/** LibreNMS Number::formatBi($value, 2, 3, $suffix): binary prefixes, e.g. '1.5 k', '0 ' */
export function formatBi(value: number, suffix: string): string {
  let v = Math.abs(value);
  const neg = value < 0;
  const sizes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
  let ext = '';
  for (let i = 1; i < sizes.length && v >= 1024; i++) {
    v /= 1024;
    ext = sizes[i] ?? '';
  }
  const num = trimNumber((Math.round(v * 100) / 100).toFixed(3));
  return `${neg ? '-' : ''}${num} ${ext}${suffix}`;
}

/** LibreNMS Number::calculatePercent: round(value / max * 100, 2), 0 when max is 0 */
export function calculatePercent(value: number, max: number | null): number {
  if (!max) return 0;
  return Math.round((value / max) * 100 * 100) / 100;
}

/** Eloquent accessor: 'aabbccddeeff' => 'aa:bb:cc:dd:ee:ff'; empty => null */
const HEX12 = /^[0-9a-fA-F]{12}$/;
export function readableMac(hex: string | null): string | null {
  if (hex === null || hex === '') return null;
  if (!HEX12.test(hex)) return hex;
  const h = hex.toLowerCase();
  return `${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}:${h.slice(6, 8)}:${h.slice(8, 10)}:${h.slice(10, 12)}`;
}

/** compare calendar versions like '26.5.1' / '26.8.0-dev.42+abc' (numeric parts only) */
export function versionAtLeast(version: string, min: string): boolean {
  const a = version
    .split(/[.-]/)
    .slice(0, 3)
    .map((x) => parseInt(x, 10) || 0);
  const b = min.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** MySQL's implicit string→int conversion: leading integer, else 0 */
export function mysqlInt(s: string): number {
  const m = /^\s*[+-]?\d+/.exec(s);
  return m ? parseInt(m[0], 10) : 0;
}

/** SQL LIKE (case-insensitive collation) */
export function likeMatcher(pattern: string): (v: string | null) => boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const rx = new RegExp(`^${re}$`, 'i');
  return (v) => v !== null && rx.test(v);
}
