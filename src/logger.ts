/** pino logger with redaction, so that a token or SNMP credential passed by mistake never reaches a log line. */
import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogLevel } from './config-types.js';

export const REDACT_PATHS = [
  'token',
  '*.token',
  'config.token',
  'headers["x-auth-token"]',
  'headers.authorization',
  'req.headers["x-auth-token"]',
  'req.headers.authorization',
  '*.community',
  '*.authpass',
  '*.cryptopass',
  '*.authname',
];

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'librenms-exporter' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination === undefined ? pino(options) : pino(options, destination);
}
