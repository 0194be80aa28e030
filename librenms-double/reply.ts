/**
 * What every handler of the double shares: the request, the reply, LibreNMS's envelopes and error
 * renders, and whether a token reads every row. The handlers (api.ts, routing.ts) import it; it
 * imports none of them.
 */

import { encodePhpJson, OrderedObject, PhpInt } from './json.js';
import type { SimState, SimUser } from './state.js';

export type OperStatusMode = 'enum-null' | 'enum-500' | 'raw';

export interface ApiSettings {
  version: string;
  operStatusMode: OperStatusMode;
  numbersAsStrings: boolean;
}

export interface ApiRequest {
  method: string;
  /** decoded path segments after /api/v0 */
  segments: string[];
  /** query as the handlers see it (empty when query strings are dropped) */
  query: Record<string, string>;
  /** scheme://host:port of the request, for the route map */
  origin: string;
  /** whose token it is; undefined: the double's own token (an admin) */
  user?: SimUser;
}

export interface Reply {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export function json(status: number, value: unknown, numbersAsStrings = false): Reply {
  return { status, body: encodePhpJson(value, { numbersAsStrings }), contentType: 'application/json' };
}

/** api_error(): {"status":"error","message":...}, pretty printed */
export function apiError(status: number, message: string): Reply {
  return json(status, { status: 'error', message });
}

/** Laravel's default JSON render of an uncaught exception (production): pretty, unescaped slashes */
export function serverError(): Reply {
  return {
    status: 500,
    body: encodePhpJson({ message: 'Server Error' }, { escapeSlashes: false }),
    contentType: 'application/json',
  };
}

/**
 * A `can:global-read` route refused: Laravel's AuthorizationException rendered as JSON (EnforceJson
 * makes every API request expect JSON; bootstrap/app.php), pretty printed with unescaped slashes.
 */
export function forbidden(): Reply {
  return { status: 403, body: encodePhpJson({ message: 'This action is unauthorized.' }, { escapeSlashes: false }), contentType: 'application/json' };
}

/** admin and global-read see every row (the Gate::before of app/Providers/AppServiceProvider.php) */
export function readsAll(user: SimUser | undefined): boolean {
  return user === undefined || user.role !== 'user';
}

/** Laravel's AuthenticationException render: compact, no status key */
export function unauthenticated(): Reply {
  return { status: 401, body: '{"message":"Unauthenticated."}', contentType: 'application/json' };
}

interface SuccessOpts {
  message?: string;
  /** an Eloquent Collection (not a PHP array): no count */
  collection?: boolean;
}

export function success(s: ApiSettings, result: unknown, name: string, opts: SuccessOpts = {}): Reply {
  const out: Array<[string, unknown]> = [
    ['status', 'ok'],
    [name, result],
  ];
  if (opts.message) out.push(['message', opts.message]);
  if (!opts.collection) {
    if (Array.isArray(result)) out.push(['count', new PhpInt(result.length)]);
    else if (result !== null && typeof result === 'object') out.push(['count', new PhpInt(Object.keys(result).length)]);
  }
  return json(200, new OrderedObject(out), s.numbersAsStrings);
}

export type Handler = (state: SimState, s: ApiSettings, req: ApiRequest, params: string[]) => Reply;
