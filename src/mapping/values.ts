/**
 * Tolerant readers for LibreNMS JSON values. LibreNMS sends numbers as JSON numbers on current
 * versions, as strings on old ones, decimals and huge unsigned values as strings always, and
 * booleans or 0/1 depending on the endpoint. An unknown value (null, "", garbage) reads as
 * `undefined` so that it is left out rather than exported as 0.
 */

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite number from a number or numeric string; anything else is unknown. */
export function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (!NUMERIC.test(trimmed)) return undefined;
    const parsed = Number(trimmed);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

/** A number that must not be negative (counters, speeds, durations); negative reads as unknown. */
export function readNonNegative(value: unknown): number | undefined {
  const parsed = readNumber(value);
  return parsed === undefined || parsed < 0 ? undefined : parsed;
}

/** A whole number (ids, ifIndex); fractions and garbage read as unknown. */
export function readInteger(value: unknown): number | undefined {
  const parsed = readNumber(value);
  return parsed === undefined || !Number.isSafeInteger(parsed) ? undefined : parsed;
}

/** A flag sent as true/false, 0/1 or "0"/"1". */
export function readFlag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const parsed = readNumber(value);
  if (parsed === 0) return false;
  if (parsed === 1) return true;
  return undefined;
}

/** A non-empty string; numbers are accepted as their text (a hostname may be an IP). */
export function readText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

const ZONELESS = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$/;
const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Unix seconds from a LibreNMS timestamp: ISO-8601 with a zone (`2026-08-14T10:05:07.000000Z`, from
 * Eloquent endpoints) or zone-less `2026-08-14 10:05:07` (raw SQL endpoints), read in `timeZone`: an
 * IANA name, `UTC`, or a fixed offset such as `+07:00` (the one in LibreNMS's `/system` `local_date`).
 */
export function readTimestamp(value: unknown, timeZone: string): number | undefined {
  const text = readText(value);
  if (text === undefined) return undefined;
  const zoneless = ZONELESS.exec(text);
  if (zoneless === null) {
    if (!/[zZ]$|[+-]\d{2}:?\d{2}$/.test(text)) return undefined;
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms / 1000;
  }
  const [, y, mo, d, h, mi, s] = zoneless.map(Number) as [number, number, number, number, number, number, number];
  const wallClock = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(wallClock) || y < 1971) return undefined;
  // The zone's offset at the guessed instant; a second pass settles instants next to a DST change.
  let instant = wallClock - zoneOffsetMs(wallClock, timeZone);
  instant = wallClock - zoneOffsetMs(instant, timeZone);
  return instant / 1000;
}

const FIXED_OFFSET = /^([+-])(\d{2}):(\d{2})$/;

function zoneOffsetMs(instant: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const fixed = FIXED_OFFSET.exec(timeZone);
  if (fixed !== null) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3])) * 60_000;
  let format = zoneFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    zoneFormats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(instant)) parts[part.type] = Number(part.value);
  const asUtc = Date.UTC(parts['year'] ?? 0, (parts['month'] ?? 1) - 1, parts['day'] ?? 1, parts['hour'] ?? 0, parts['minute'] ?? 0, parts['second'] ?? 0);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The rows of a LibreNMS list that are JSON objects (anything else in the list is skipped). */
export function* objectRows(rows: readonly unknown[]): Generator<Record<string, unknown>> {
  for (const row of rows) if (typeof row === 'object' && row !== null && !Array.isArray(row)) yield row as Record<string, unknown>;
}
