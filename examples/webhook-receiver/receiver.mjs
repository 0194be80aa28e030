#!/usr/bin/env node
/**
 * A small Alertmanager webhook receiver: the workshop's `send_alert`, as a real delivery path.
 *
 * For every alert Alertmanager sends (webhook payload version 4), it
 *   1. appends one line to a log file and prints it:
 *        2025-01-31T10:15:00.000Z FIRING LibreNMSPortBusy MikroTik-Lab-Router ether1 (Host-Only network) receive: Port ether1 ...
 *   2. runs a command you choose, if ON_ALERT_COMMAND is set, with the alert in environment
 *      variables (never pasted into the command line, so labels cannot inject shell code):
 *        ALERT_STATUS (firing | resolved), ALERT_NAME, ALERT_SEVERITY, ALERT_HOSTNAME, ALERT_DISPLAY,
 *        ALERT_IFNAME, ALERT_IFALIAS, ALERT_DIRECTION, ALERT_SUMMARY, ALERT_DESCRIPTION, ALERT_JSON
 *
 * Node.js 20 or newer, no dependencies:
 *   node examples/webhook-receiver/receiver.mjs
 *   PORT=5002 HOST=127.0.0.1 LOG_FILE=alerts.log ON_ALERT_COMMAND='./my-action.sh' node examples/webhook-receiver/receiver.mjs
 *
 * Settings (environment): HOST (default 127.0.0.1; 0.0.0.0 in a container), PORT (default 5002),
 * LOG_FILE (default alerts.log in the current directory), ON_ALERT_COMMAND (default none: log only),
 * COMMAND_TIMEOUT_SECONDS (default 30). It answers Alertmanager at once (200) and runs commands one
 * after another in the background, so a slow command never makes Alertmanager retry. Stop it with Ctrl+C.
 */
import { spawn } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import http from 'node:http';

const HOST = process.env.HOST || '127.0.0.1';
const PORT = Number(process.env.PORT || 5002);
const LOG_FILE = process.env.LOG_FILE || 'alerts.log';
const COMMAND = process.env.ON_ALERT_COMMAND || '';
const COMMAND_TIMEOUT_MS = Number(process.env.COMMAND_TIMEOUT_SECONDS || 30) * 1000;
const MAX_BODY_BYTES = 1024 * 1024;

/** One human-readable line per alert: time, status, alert, device, port (alias), direction: summary. */
function logLine(alert, now = new Date()) {
  const l = alert.labels ?? {};
  const port = l.ifName ? ` ${l.ifName}${l.ifAlias ? ` (${l.ifAlias})` : ''}` : '';
  const device = l.display || l.hostname || l.instance || '-';
  const direction = l.direction ? ` ${l.direction}` : '';
  const summary = alert.annotations?.summary ?? '';
  return `${now.toISOString()} ${String(alert.status ?? 'unknown').toUpperCase()} ${l.alertname ?? '-'} ${device}${port}${direction}: ${summary}`;
}

/** The environment a command gets for one alert. */
function alertEnv(alert) {
  const l = alert.labels ?? {};
  const a = alert.annotations ?? {};
  return {
    ALERT_STATUS: alert.status ?? '',
    ALERT_NAME: l.alertname ?? '',
    ALERT_SEVERITY: l.severity ?? '',
    ALERT_HOSTNAME: l.hostname ?? '',
    ALERT_DISPLAY: l.display ?? '',
    ALERT_IFNAME: l.ifName ?? '',
    ALERT_IFALIAS: l.ifAlias ?? '',
    ALERT_DIRECTION: l.direction ?? '',
    ALERT_SUMMARY: a.summary ?? '',
    ALERT_DESCRIPTION: a.description ?? '',
    ALERT_JSON: JSON.stringify(alert),
  };
}

let queue = Promise.resolve();

function runCommand(alert) {
  return new Promise((resolve) => {
    const child = spawn(COMMAND, { shell: true, stdio: 'inherit', env: { ...process.env, ...alertEnv(alert) } });
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.on('error', (err) => {
      console.error(`ON_ALERT_COMMAND could not start: ${err.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) console.error(`ON_ALERT_COMMAND ended with ${signal ?? `exit code ${code}`} for ${alert.labels?.alertname ?? 'an alert'}`);
      resolve();
    });
  });
}

async function handle(payload) {
  for (const alert of Array.isArray(payload.alerts) ? payload.alerts : []) {
    const line = logLine(alert);
    console.log(line);
    await appendFile(LOG_FILE, `${line}\n`);
    if (COMMAND !== '') queue = queue.then(() => runCommand(alert));
  }
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('Alertmanager webhook receiver: POST alerts here (webhook_configs url).\n');
    return;
  }
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) req.destroy();
    else chunks.push(chunk);
  });
  req.on('end', () => {
    let payload;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('not JSON\n');
      return;
    }
    handle(payload).then(
      () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok\n');
      },
      (err) => {
        console.error(`cannot write ${LOG_FILE}: ${err.message}`);
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('cannot write the log\n');
      },
    );
  });
});

server.listen(PORT, HOST, () => {
  console.log(`webhook receiver on http://${HOST}:${PORT}/ → ${LOG_FILE}${COMMAND ? `, runs: ${COMMAND}` : ''}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
