#!/usr/bin/env node
/**
 * A small Alertmanager webhook receiver: the workshop's `send_alert`, as a real delivery path.
 *
 * For every change of an alert's state (firing, then resolved) that Alertmanager sends (webhook
 * payload version 4), it
 *   1. appends one line to a log file and prints it:
 *        2025-01-31T10:15:00.000Z FIRING LibreNMSPortBusy MikroTik-Lab-Router ether1 (Host-Only network) receive: Port ether1 ...
 *   2. runs a command you choose, if ON_ALERT_COMMAND is set, with the alert in environment
 *      variables (never pasted into the command line, so labels cannot inject shell code):
 *        ALERT_STATUS (firing | resolved), ALERT_NAME, ALERT_SEVERITY, ALERT_HOSTNAME, ALERT_DISPLAY,
 *        ALERT_IFNAME, ALERT_IFALIAS, ALERT_DIRECTION, ALERT_SUMMARY, ALERT_DESCRIPTION,
 *        ALERT_FINGERPRINT, ALERT_JSON
 *
 * Alertmanager re-sends every alert of a group in each notification of that group (a new alert
 * joining, repeat_interval): an alert whose state the receiver has already handled (same
 * fingerprint, same status, same start) is neither logged nor run again.
 *
 * Node.js 20 or newer, no dependencies:
 *   node examples/webhook-receiver/receiver.mjs
 *   PORT=5002 HOST=127.0.0.1 LOG_FILE=alerts.log ON_ALERT_COMMAND='./my-action.sh' node examples/webhook-receiver/receiver.mjs
 *
 * GET /healthz answers 200 (no token needed). Settings (environment): HOST (default 127.0.0.1), PORT (default 5002; 0 picks a free one),
 * RECEIVER_PATH (default /alerts: the only path answered), RECEIVER_TOKEN (a shared secret:
 * requests must carry `Authorization: Bearer <token>`, which Alertmanager sends with
 * `http_config: { authorization: { credentials: <token> } }`; required when HOST is not a loopback
 * address), LOG_FILE (default alerts.log), ON_ALERT_COMMAND (default none: log only),
 * COMMAND_TIMEOUT_SECONDS (default 30), MAX_QUEUED_COMMANDS (default 100: state changes beyond that
 * are logged as not run, and run if Alertmanager sends them again). It answers Alertmanager at once
 * and runs commands one after another in the background, so a slow command never makes
 * Alertmanager retry. Stop it with Ctrl+C.
 */
import { spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import http from 'node:http';

const HOST = process.env.HOST || '127.0.0.1';
const PORT = Number(process.env.PORT ?? 5002);
const PATH = process.env.RECEIVER_PATH || '/alerts';
const TOKEN = process.env.RECEIVER_TOKEN || '';
const LOG_FILE = process.env.LOG_FILE || 'alerts.log';
const COMMAND = process.env.ON_ALERT_COMMAND || '';
const COMMAND_TIMEOUT_MS = Number(process.env.COMMAND_TIMEOUT_SECONDS || 30) * 1000;
const MAX_QUEUED = Number(process.env.MAX_QUEUED_COMMANDS || 100);
const MAX_BODY_BYTES = 1024 * 1024;
/** Alert states remembered for deduplication (oldest forgotten first). */
const MAX_REMEMBERED = 10_000;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;
if (TOKEN === '' && !LOOPBACK.test(HOST)) {
  console.error(
    `Refusing to listen on ${HOST} without authentication: anyone who can reach it could run ON_ALERT_COMMAND. ` +
      'Set RECEIVER_TOKEN to a secret and give Alertmanager the same one (webhook_configs: http_config: authorization: credentials), or listen on 127.0.0.1.',
  );
  process.exit(2);
}

/** A field for the one-line log: control characters (a newline in a label) escaped, never a new line. */
function oneLine(value) {
  return String(value ?? '').replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The texts of an alert: annotations first (display names and aliases are text, not labels), then labels. */
function texts(alert) {
  const l = alert.labels ?? {};
  const a = alert.annotations ?? {};
  return { display: a.display || l.display || '', ifAlias: a.ifAlias ?? l.ifAlias ?? '' };
}

/** One human-readable line per alert: time, status, alert, device, port (alias), direction: summary. */
function logLine(alert, now = new Date()) {
  const l = alert.labels ?? {};
  const { display, ifAlias } = texts(alert);
  const port = l.ifName ? ` ${oneLine(l.ifName)}${ifAlias ? ` (${oneLine(ifAlias)})` : ''}` : '';
  const device = oneLine(display || l.hostname || l.instance || '-');
  const direction = l.direction ? ` ${oneLine(l.direction)}` : '';
  const summary = oneLine(alert.annotations?.summary ?? '');
  return `${now.toISOString()} ${oneLine(String(alert.status ?? 'unknown').toUpperCase())} ${oneLine(l.alertname ?? '-')} ${device}${port}${direction}: ${summary}`;
}

/** The environment a command gets for one alert. */
function alertEnv(alert) {
  const l = alert.labels ?? {};
  const a = alert.annotations ?? {};
  const { display, ifAlias } = texts(alert);
  return {
    ALERT_STATUS: alert.status ?? '',
    ALERT_NAME: l.alertname ?? '',
    ALERT_SEVERITY: l.severity ?? '',
    ALERT_HOSTNAME: l.hostname ?? '',
    ALERT_DISPLAY: display,
    ALERT_IFNAME: l.ifName ?? '',
    ALERT_IFALIAS: ifAlias,
    ALERT_DIRECTION: l.direction ?? '',
    ALERT_SUMMARY: a.summary ?? '',
    ALERT_DESCRIPTION: a.description ?? '',
    ALERT_FINGERPRINT: alert.fingerprint ?? '',
    ALERT_JSON: JSON.stringify(alert),
  };
}

/** fingerprint → "status startsAt" last handled; a Map keeps insertion order, so the oldest goes first. */
const handled = new Map();

function identity(alert) {
  // Alertmanager's fingerprint identifies the label set; without one (an old sender), the labels do.
  return alert.fingerprint || JSON.stringify(Object.entries(alert.labels ?? {}).sort());
}

function remember(id, state) {
  handled.delete(id);
  handled.set(id, state);
  if (handled.size > MAX_REMEMBERED) handled.delete(handled.keys().next().value);
}

let queued = 0;
let queue = Promise.resolve();

function runCommand(alert) {
  return new Promise((resolve) => {
    const child = spawn(COMMAND, { shell: true, stdio: 'inherit', env: { ...process.env, ...alertEnv(alert) } });
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.on('error', (err) => {
      console.error(`ON_ALERT_COMMAND could not start: ${oneLine(err.message)}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) console.error(`ON_ALERT_COMMAND ended with ${signal ?? `exit code ${code}`} for ${oneLine(alert.labels?.alertname ?? 'an alert')}`);
      resolve();
    });
  });
}

async function handle(payload) {
  let dropped = 0;
  for (const alert of Array.isArray(payload.alerts) ? payload.alerts : []) {
    if (alert === null || typeof alert !== 'object') continue;
    const id = identity(alert);
    const state = `${alert.status} ${alert.startsAt ?? ''}`;
    if (handled.get(id) === state) continue;
    if (COMMAND !== '' && queued >= MAX_QUEUED) {
      // Not remembered: if Alertmanager sends it again (next group notification), it runs then.
      dropped += 1;
      continue;
    }
    remember(id, state);
    const line = logLine(alert);
    console.log(line);
    await appendFile(LOG_FILE, `${line}\n`);
    if (COMMAND !== '') {
      queued += 1;
      queue = queue.then(() => runCommand(alert)).finally(() => {
        queued -= 1;
      });
    }
  }
  if (dropped > 0) console.error(`${dropped} alert(s) not run: ${MAX_QUEUED} commands already queued (MAX_QUEUED_COMMANDS)`);
}

function authorised(req) {
  if (TOKEN === '') return true;
  const given = Buffer.from(String(req.headers.authorization ?? ''));
  const wanted = Buffer.from(`Bearer ${TOKEN}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function answer(res, status, text, headers = {}) {
  res.writeHead(status, { 'content-type': 'text/plain', ...headers });
  res.end(`${text}\n`);
}

const server = http.createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  // For a supervisor or a container health check: says nothing but that it runs.
  if (path === '/healthz' && req.method === 'GET') return answer(res, 200, 'ok');
  if (path !== PATH) return answer(res, 404, `not found: POST alerts to ${PATH}`);
  if (!authorised(req)) return answer(res, 401, 'unauthorised', { 'www-authenticate': 'Bearer' });
  if (req.method !== 'POST') return answer(res, 405, 'Alertmanager webhook receiver: POST alerts here (webhook_configs url).', { allow: 'POST' });
  const chunks = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      tooLarge = true;
      chunks.length = 0;
    } else if (!tooLarge) chunks.push(chunk);
  });
  req.on('end', () => {
    if (tooLarge) return answer(res, 413, 'body too large');
    let payload;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return answer(res, 400, 'not JSON');
    }
    if (payload === null || typeof payload !== 'object') return answer(res, 400, 'not a webhook payload');
    handle(payload).then(
      () => answer(res, 200, 'ok'),
      (err) => {
        console.error(`cannot write ${LOG_FILE}: ${oneLine(err.message)}`);
        answer(res, 500, 'cannot write the log');
      },
    );
  });
});

server.listen(PORT, HOST, () => {
  const { port } = server.address();
  console.log(`webhook receiver on http://${HOST}:${port}${PATH} → ${LOG_FILE}${COMMAND ? `, runs: ${COMMAND}` : ''}${TOKEN ? ' (token required)' : ''}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
