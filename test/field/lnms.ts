/**
 * The real LibreNMS instances of the field lane (and of `npm run bench:real`): started and stopped with
 * the tool's up.sh and down.sh, their URLs, tokens and databases, the field data set loaded into them,
 * and SQL read back as typed rows.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fieldState } from './seed.js';
import { seedSql } from './sql.js';

/** `../shared/tools/real-librenms/`, beside the checkout. */
export const TOOL_DIR = resolve('..', 'shared', 'tools', 'real-librenms');

/** The versions the tool offers: one source snapshot each (`src/librenms-26.7.0.tar.xz` → 26.7). */
export function offeredVersions(): string[] {
  return readdirSync(join(TOOL_DIR, 'src'))
    .flatMap((name) => /^librenms-(\d+\.\d+)\.\d+\.tar\.xz$/.exec(name)?.[1] ?? [])
    .sort((a, b) => Number(a.split('.')[0]) - Number(b.split('.')[0]) || Number(a.split('.')[1]) - Number(b.split('.')[1]));
}

/**
 * Runs the tool's up.sh with `env` (LNMS_VERSION, and LNMS_ROOT and ports if asked for) and no demo
 * data; resolves with the instance its `KEY=value` lines describe, or the end of its log.
 */
export function up(env: NodeJS.ProcessEnv): Promise<{ ok: true; instance: FieldInstance } | { ok: false; output: string }> {
  return new Promise((done) => {
    const child = spawn('bash', [join(TOOL_DIR, 'up.sh')], { env: { ...env, LNMS_SEED: 'none' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => {
      if (code !== 0) return done({ ok: false, output: stderr.slice(-3000) });
      const env: Record<string, string> = {};
      for (const line of stdout.split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
      }
      done({
        ok: true,
        instance: {
          version: env['LIBRENMS_VERSION'] ?? '',
          url: env['LIBRENMS_URL'] ?? '',
          tokens: { admin: env['LIBRENMS_TOKEN'] ?? '', read: env['LIBRENMS_TOKEN_READ'] ?? '', normal: env['LIBRENMS_TOKEN_NORMAL'] ?? '' },
          dbSocket: env['LNMS_DB_SOCKET'] ?? '',
        },
      });
    });
  });
}

/** Runs the tool's down.sh with the same `env`: stops what up.sh started, keeps its root for a fast next start. */
export function down(env: NodeJS.ProcessEnv): void {
  spawnSync('bash', [join(TOOL_DIR, 'down.sh')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

export interface FieldInstance {
  /** As `/system` reports it: 22.11.0, 25.4.0, 26.7.0. */
  readonly version: string;
  readonly url: string;
  /** up.sh's users: 1 admin, 3 global read, 2 a normal user with `devices_perms` on device 1. */
  readonly tokens: { readonly admin: string; readonly read: string; readonly normal: string };
  /** MariaDB's unix socket, reachable from the host. */
  readonly dbSocket: string;
}

/**
 * The instances `run.ts` started. Throws (failing the test) when the file is missing: the field
 * lane runs through `npm run test:field`, never on its own.
 */
export function fieldInstances(): FieldInstance[] {
  const file = process.env['FIELD_INSTANCES_FILE'];
  if (file === undefined || file === '') throw new Error('FIELD_INSTANCES_FILE is not set: run the field lane with `npm run test:field`');
  const instances = JSON.parse(readFileSync(file, 'utf8')) as FieldInstance[];
  if (instances.length === 0) throw new Error(`${file} lists no LibreNMS`);
  return instances;
}

function mariadb(instance: FieldInstance, sql: string): string {
  return execFileSync('mariadb', [`--socket=${instance.dbSocket}`, '-uroot', '--batch', '--raw', '--skip-column-names', 'librenms'], {
    input: sql,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
}

/** Runs SQL statements (no result). */
export function execSql(instance: FieldInstance, sql: string): void {
  mariadb(instance, sql);
}

/**
 * Rows of a query as objects, typed as MariaDB's JSON functions type them (numbers stay numbers,
 * NULL is null). `columns` are the expressions, by their result name.
 */
export function selectRows(instance: FieldInstance, columns: Readonly<Record<string, string>>, from: string): Record<string, unknown>[] {
  const pairs = Object.entries(columns)
    .map(([name, expression]) => `'${name}', ${expression}`)
    .join(', ');
  // Plain text from the client would need unescaping and cannot tell NULL from 'NULL'.
  const out = mariadb(instance, `SET time_zone = '+00:00'; SELECT COALESCE(JSON_ARRAYAGG(JSON_OBJECT(${pairs})), '[]') FROM ${from};`);
  return JSON.parse(out.trim()) as Record<string, unknown>[];
}

/**
 * Loads the field data set as of now into an instance (every table the exporter reads is emptied
 * first). Returns the clock it was seeded at (Unix seconds).
 */
export function reseed(instance: FieldInstance, clock = Math.floor(Date.now() / 1000)): number {
  execSql(instance, seedSql(fieldState(clock, instance.version), instance.version));
  return clock;
}
