/** Starts the exporter app on an ephemeral loopback port for a test, with captured JSON logs. */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { loadConfig } from '../../src/config/env.js';
import type { Config } from '../../src/config-types.js';
import { type AppOptions, buildApp, type ExporterApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { type ParsedExposition, parseExposition } from './exposition.js';

/** Every log line and response body of this test file, for the leak checks. */
export const capturedText: string[] = [];

/**
 * With LEAK_CAPTURE_DIR set (CI does), every captured log line and response body is also appended
 * to a file there, so one check after the whole suite can grep all of them for secrets.
 */
export function capture(text: string): void {
  capturedText.push(text);
  const dir = process.env['LEAK_CAPTURE_DIR'];
  if (dir !== undefined && dir !== '') appendFileSync(join(dir, `capture-${process.pid}.txt`), `${text}\n`);
}

export interface TestExporter extends ExporterApp {
  readonly url: string;
  readonly config: Config;
  readonly logs: Record<string, unknown>[];
  readonly logText: () => string;
  scrape(headers?: Record<string, string>): Promise<ScrapeResult>;
  close(): Promise<void>;
}

export interface ScrapeResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly parsed: ParsedExposition;
}

/** Clocks a test may give the exporter: a fake wall clock (`now`) and a fake clock of request deadlines. */
export type TestClocks = Pick<AppOptions, 'now' | 'deadlineClock'>;

export async function startExporter(env: Record<string, string>, clocks: TestClocks = {}): Promise<TestExporter> {
  const config = loadConfig({ LISTEN_ADDRESS: '127.0.0.1:0', LOG_LEVEL: 'debug', ...env });
  const logs: Record<string, unknown>[] = [];
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line === '') continue;
        lines.push(line);
        capture(line);
        logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const exporter = buildApp({ config, logger, ...clocks });
  await exporter.app.listen({ host: '127.0.0.1', port: 0 });
  const address = exporter.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    ...exporter,
    url,
    config,
    logs,
    logText: () => lines.join('\n'),
    async scrape(headers = {}) {
      const response = await request(`${url}/metrics`, { headers });
      const raw = Buffer.from(await response.body.arrayBuffer());
      const text = (response.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      capture(text);
      return { status: response.statusCode, headers: response.headers, text, parsed: parseExposition(text) };
    },
    async close() {
      await exporter.app.close();
    },
  };
}
