/**
 * `WEB_CONFIG_FILE` at run time: re-read when it or a file it names (bearer token, certificate, key,
 * client CA) changes, and on demand (SIGHUP, wired in cli.ts), as exporter-toolkit re-reads its web
 * config, so that a credential can be revoked or rotated without a restart. A reload is all or
 * nothing: a new file that does not parse, or names a file that cannot be read, leaves the previous
 * web config in force, and the caller logs why.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { FileReader, TlsServerConfig, WebConfig } from '../config-types.js';
import { parseWebConfig } from './files.js';

/** Shortest time between two looks at the files for a change, in ms. */
export const WEB_CONFIG_CHECK_INTERVAL_MS = 1_000;

export type WebConfigReload =
  /** Nothing changed (or it is too soon to look again). */
  | { readonly outcome: 'unchanged' }
  /** The new web config is in force. */
  | { readonly outcome: 'reloaded'; readonly web: WebConfig }
  /** The files changed but cannot be used: the previous web config stays in force. */
  | { readonly outcome: 'kept'; readonly problems: readonly string[] };

/** The TLS options of the web config that a running server can change (`server.setSecureContext`). */
export function secureContextOptions(tls: TlsServerConfig) {
  return {
    cert: tls.cert,
    key: tls.key,
    ...(tls.minVersion === undefined ? {} : { minVersion: tls.minVersion }),
    ...(tls.maxVersion === undefined ? {} : { maxVersion: tls.maxVersion }),
    ...(tls.clientCa === undefined ? {} : { ca: tls.clientCa }),
  };
}

export interface WebConfigFileOptions {
  readonly readFile?: FileReader;
  /** Milliseconds clock of the change checks (tests pass a fake one). */
  readonly now?: () => number;
}

export class WebConfigFile {
  readonly path: string;
  #current: WebConfig;
  /** What each file read held at the last look (undefined: unreadable), to tell a change. */
  #seen = new Map<string, string | undefined>();
  #lookedAt = Number.NEGATIVE_INFINITY;
  readonly #readFile: FileReader;
  readonly #now: () => number;

  /** @param initial the web config read at start (from the same file) */
  constructor(path: string, initial: WebConfig, options: WebConfigFileOptions = {}) {
    this.path = path;
    this.#current = initial;
    this.#readFile = options.readFile ?? ((file) => readFileSync(file, 'utf8'));
    this.#now = options.now ?? Date.now;
    // Read once more to learn which files the config names, so their changes are seen too.
    this.#seen = this.#parse().contents;
    this.#lookedAt = this.#now();
  }

  /** The web config in force. */
  get current(): WebConfig {
    return this.#current;
  }

  /**
   * Re-reads the web config when one of its files changed since the last look; looks at most once per
   * {@link WEB_CONFIG_CHECK_INTERVAL_MS}. Cheap enough to call on every request.
   */
  poll(): WebConfigReload {
    const now = this.#now();
    if (now - this.#lookedAt < WEB_CONFIG_CHECK_INTERVAL_MS) return { outcome: 'unchanged' };
    this.#lookedAt = now;
    for (const [file, content] of this.#seen) {
      if (this.#readOrUndefined(file) !== content) return this.reload();
    }
    return { outcome: 'unchanged' };
  }

  /** Re-reads the web config now, changed or not (SIGHUP). */
  reload(): WebConfigReload {
    const { web, problems, contents } = this.#parse();
    // A broken file is remembered as seen, so that it is reported once, not on every look.
    this.#seen = contents;
    if (problems.length === 0 && (web.tls === undefined) !== (this.#current.tls === undefined)) {
      problems.push(`tls_server_config was ${web.tls === undefined ? 'removed' : 'added'}: switching between HTTP and HTTPS needs a restart of the exporter`);
    }
    if (problems.length === 0 && web.tls !== undefined) {
      // Checked here, as the server would when it starts: a key that does not match its certificate
      // must not reach the running server.
      try {
        createSecureContext(secureContextOptions(web.tls));
      } catch (error) {
        problems.push(`tls_server_config: the certificate, key or client CA cannot be used (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    if (problems.length > 0) return { outcome: 'kept', problems };
    this.#current = web;
    return { outcome: 'reloaded', web };
  }

  #parse(): { web: WebConfig; problems: string[]; contents: Map<string, string | undefined> } {
    const contents = new Map<string, string | undefined>();
    const problems: string[] = [];
    const web = parseWebConfig(
      this.path,
      (file) => {
        try {
          const content = this.#readFile(file);
          contents.set(file, content);
          return content;
        } catch (error) {
          contents.set(file, undefined);
          throw error;
        }
      },
      problems,
    );
    return { web, problems, contents };
  }

  #readOrUndefined(file: string): string | undefined {
    try {
      return this.#readFile(file);
    } catch {
      return undefined;
    }
  }
}
