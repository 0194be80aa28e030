/**
 * A small JSON writer that reproduces PHP's json_encode() output byte for byte
 * for the value shapes LibreNMS sends.
 *
 * LibreNMS `api_success`/`api_error` call `response()->json($output, $code, [], JSON_PRETTY_PRINT)`;
 * Laravel's JsonResponse uses exactly the given options, so the flags are JSON_PRETTY_PRINT only:
 *  - 4-space indent, `"key": value`, empty PHP array (list or map) `[]`
 *  - `/` escaped as `\/` (no JSON_UNESCAPED_SLASHES)
 *  - every non-ASCII UTF-16 code unit escaped as `\uxxxx` with lowercase hex (no JSON_UNESCAPED_UNICODE)
 *  - control characters as \b \f \n \r \t or `\u00xx`
 *  - floats shortest round-trip, 25.0 printed as `25` (no JSON_PRESERVE_ZERO_FRACTION)
 * bigint values are written as full-digit number literals (PHP ints / BIGINT UNSIGNED).
 */

export interface PhpJsonOptions {
  /** JSON_PRETTY_PRINT (default true) */
  pretty?: boolean;
  /** escape `/` as `\/` (default true, i.e. no JSON_UNESCAPED_SLASHES) */
  escapeSlashes?: boolean;
  /** old pre-Laravel installs: every number/bigint as a JSON string (booleans stay) */
  numbersAsStrings?: boolean;
}

/** Wraps a value that must be written as-is even in numbersAsStrings mode (e.g. PHP count()). */
export class PhpInt {
  constructor(readonly value: number) {}
}

/** A JSON object with keys in a fixed order. Plain JS objects also keep insertion order, except
 *  integer-like keys, which JS sorts first; use this when keys may look like integers. */
export class OrderedObject {
  constructor(readonly entries: Array<[string, unknown]>) {}
}

const NEEDS_ESCAPE = /[\u0000-\u001f"\\/\u0080-\uffff]/;
const NEEDS_ESCAPE_NO_SLASH = /[\u0000-\u001f"\\\u0080-\uffff]/;

function hex4(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

export function phpString(s: string, escapeSlashes = true): string {
  const re = escapeSlashes ? NEEDS_ESCAPE : NEEDS_ESCAPE_NO_SLASH;
  if (!re.test(s)) return `"${s}"`;
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20) {
      switch (c) {
        case 0x08:
          rep = '\\b';
          break;
        case 0x09:
          rep = '\\t';
          break;
        case 0x0a:
          rep = '\\n';
          break;
        case 0x0c:
          rep = '\\f';
          break;
        case 0x0d:
          rep = '\\r';
          break;
        default:
          rep = hex4(c);
      }
    } else if (c === 0x22) rep = '\\"';
    else if (c === 0x5c) rep = '\\\\';
    else if (c === 0x2f) {
      if (escapeSlashes) rep = '\\/';
    } else if (c >= 0x80) rep = hex4(c);
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return `${out + s.slice(start)}"`;
}

/** PHP (serialize_precision = -1) float / int formatting. */
export function phpNumber(n: number): string {
  if (!Number.isFinite(n)) return '0'; // PHP would fail (JSON_ERROR_INF_OR_NAN); never produced here
  if (Number.isInteger(n) && Math.abs(n) < 1e21) {
    // ints (and integral floats, printed without ".0" because JSON_PRESERVE_ZERO_FRACTION is off)
    return Math.abs(n) < 1e15 ? String(n) : BigInt(n).toString();
  }
  const s = String(n);
  const e = s.indexOf('e');
  if (e === -1) return s;
  // PHP writes exponents as 1.0e+25 / 1.5e-7
  const mant = s.slice(0, e);
  return (mant.includes('.') ? mant : `${mant}.0`) + s.slice(e);
}

export function encodePhpJson(value: unknown, options: PhpJsonOptions = {}): string {
  const pretty = options.pretty ?? true;
  const slashes = options.escapeSlashes ?? true;
  const nas = options.numbersAsStrings ?? false;
  const colon = pretty ? ': ' : ':';
  // "<newline><indent>" per nesting level
  const breaks: string[] = [];
  const br = (level: number): string => {
    let s = breaks[level];
    if (s === undefined) {
      s = pretty ? `\n${'    '.repeat(level)}` : '';
      breaks[level] = s;
    }
    return s;
  };
  // object keys repeat across rows: cache their encoded form (with the colon)
  const keyCache = new Map<string, string>();
  const keyOf = (k: string): string => {
    let e = keyCache.get(k);
    if (e === undefined) {
      e = phpString(k, slashes) + colon;
      keyCache.set(k, e);
    }
    return e;
  };

  // writes into `parts`, joined once at the end (cheaper than flattening a deep rope)
  const parts: string[] = [];
  let cur = '';
  const put = (x: string): void => {
    cur += x;
    if (cur.length > 8192) {
      parts.push(cur);
      cur = '';
    }
  };
  const enc = (v: unknown, level: number): void => {
    if (v === null || v === undefined) return put('null');
    switch (typeof v) {
      case 'string':
        return put(phpString(v, slashes));
      case 'boolean':
        return put(v ? 'true' : 'false');
      case 'number':
        return put(nas ? `"${phpNumber(v)}"` : phpNumber(v));
      case 'bigint':
        return put(nas ? `"${v.toString()}"` : v.toString());
      case 'object':
        break;
      default:
        return put('null');
    }
    if (v instanceof PhpInt) return put(phpNumber(v.value));
    const inner = br(level + 1);
    if (Array.isArray(v)) {
      if (v.length === 0) return put('[]');
      put('[');
      for (let i = 0; i < v.length; i++) {
        put(i ? `,${inner}` : inner);
        enc(v[i], level + 1);
      }
      return put(`${br(level)}]`);
    }
    let first = true;
    if (v instanceof OrderedObject) {
      for (const [k, x] of v.entries) {
        if (x === undefined) continue;
        put((first ? '{' : ',') + inner + keyOf(k));
        first = false;
        enc(x, level + 1);
      }
    } else {
      const o = v as Record<string, unknown>;
      for (const k in o) {
        const x = o[k];
        if (x === undefined) continue;
        put((first ? '{' : ',') + inner + keyOf(k));
        first = false;
        enc(x, level + 1);
      }
    }
    // an empty PHP array is a list, whatever it was meant to be: json_encode gives []
    if (first) return put('[]');
    return put(`${br(level)}}`);
  };
  enc(value, 0);
  parts.push(cur);
  return parts.join('');
}
