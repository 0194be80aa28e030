/**
 * The demo's knobs (not a LibreNMS API: the workshop guides use them to make the lab's ether1 busy or
 * take a port down, so that the alerts and the traffic report have something to show).
 *
 *   POST /_demo/port   {"hostname": "192.168.56.10", "ifName": "ether1", "utilisation": 0.95, "operStatus": "up" | "down"}
 *   GET  /_demo/port   the ports with their current utilisation and status
 *
 * Both need the double's API token (X-Auth-Token, or Authorization: Bearer), as the API does.
 * `hostname` is the LibreNMS hostname or the display name; `utilisation` (0..1) is the share of the
 * port speed each direction carries from the next poll on (each poll still varies by ±20%);
 * `operStatus` is what the next poll reads from the device (the cable pulled or plugged back in; the
 * administrative status stays as it is). Changes show after the next poll of the double, then the
 * exporter's cache and a Prometheus scrape.
 */
import type http from 'node:http';
import { defaultLoad } from './poll.js';
import type { SimPort, SimState } from './state.js';

/** The path prefix of the knobs. */
export const CONTROL_PREFIX = '/_demo/';
const PORT_PATH = '/_demo/port';
const MAX_BODY_BYTES = 64 * 1024;

export interface PortControl {
  hostname: string;
  ifName: string;
  utilisation?: number;
  operStatus?: 'up' | 'down';
}

export interface ControlReply {
  status: number;
  body: unknown;
}

/** What the knobs say about one port. */
export interface PortView {
  hostname: string;
  display: string;
  ifName: string | null;
  ifAlias: string | null;
  utilisation: { in: number; out: number };
  operStatus: string | null;
  adminStatus: string | null;
}

function viewOf(state: SimState, port: SimPort): PortView {
  const device = state.devices.find((d) => d.device_id === port.device_id);
  const load = state.portLoad.get(port.port_id) ?? defaultLoad(port);
  return {
    hostname: device?.hostname ?? '',
    display: device?.display ?? '',
    ifName: port.ifName,
    ifAlias: port.ifAlias,
    utilisation: { in: load.in, out: load.out },
    operStatus: port.ifOperStatus,
    adminStatus: port.ifAdminStatus,
  };
}

/** Checks a request body; returns the request or the sentence saying what is wrong. */
export function parsePortControl(body: unknown): PortControl | string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'the body must be a JSON object';
  const b = body as Record<string, unknown>;
  const known = new Set(['hostname', 'ifName', 'utilisation', 'operStatus']);
  const unknown = Object.keys(b).filter((k) => !known.has(k));
  if (unknown.length > 0) return `unknown field(s) ${unknown.join(', ')}: use hostname, ifName, utilisation, operStatus`;
  if (typeof b['hostname'] !== 'string' || b['hostname'] === '') return 'hostname (the LibreNMS hostname or display name) is required';
  if (typeof b['ifName'] !== 'string' || b['ifName'] === '') return 'ifName (e.g. "ether1") is required';
  const out: PortControl = { hostname: b['hostname'], ifName: b['ifName'] };
  const u = b['utilisation'];
  if (u !== undefined) {
    if (typeof u !== 'number' || !Number.isFinite(u) || u < 0 || u > 1) return 'utilisation must be a number from 0 to 1 (0.95 = 95% of the port speed)';
    out.utilisation = u;
  }
  const s = b['operStatus'];
  if (s !== undefined) {
    if (s !== 'up' && s !== 'down') return 'operStatus must be "up" or "down"';
    out.operStatus = s;
  }
  if (out.utilisation === undefined && out.operStatus === undefined) return 'nothing to change: give utilisation and/or operStatus';
  return out;
}

/** Applies a knob to the state: the next poll reads it. */
export function applyPortControl(state: SimState, control: PortControl): ControlReply {
  const device = state.devices.find((d) => d.hostname === control.hostname || d.display === control.hostname);
  if (device === undefined) {
    return { status: 404, body: { message: `no device "${control.hostname}": one of ${state.devices.map((d) => d.hostname).join(', ')}` } };
  }
  const port = state.ports.find((p) => p.device_id === device.device_id && p.ifName === control.ifName && p.deleted === 0);
  if (port === undefined) {
    const names = state.ports.filter((p) => p.device_id === device.device_id && p.deleted === 0).map((p) => p.ifName);
    return { status: 404, body: { message: `no port "${control.ifName}" on ${device.hostname}: one of ${names.join(', ')}` } };
  }
  if (control.utilisation !== undefined) state.portLoad.set(port.port_id, { in: control.utilisation, out: control.utilisation });
  if (control.operStatus !== undefined && port.ifOperStatus !== control.operStatus) {
    port.ifOperStatus = control.operStatus;
    // The device's ifLastChange: sysUpTime (1/100 s) at the change.
    port.ifLastChange = Math.round((device.uptime ?? 0) * 100);
  }
  return { status: 200, body: { ...viewOf(state, port), message: 'changed: the next poll of the simulated LibreNMS reads it' } };
}

function tokenOf(req: http.IncomingMessage): string | undefined {
  const x = req.headers['x-auth-token'];
  if (typeof x === 'string' && x !== '') return x;
  const bearer = /^bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return bearer?.[1];
}

function reply(res: http.ServerResponse, r: ControlReply): void {
  const body = Buffer.from(`${JSON.stringify(r.body, null, 2)}\n`, 'utf8');
  res.writeHead(r.status, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
  res.end(body);
}

/** Answers a request under /_demo/ (the double's hook calls it for those paths only). */
export function handleControl(req: http.IncomingMessage, res: http.ServerResponse, state: SimState, token: string): void {
  const pathname = new URL(req.url ?? '/', 'http://placeholder').pathname;
  if (tokenOf(req) !== token) {
    req.resume();
    return reply(res, { status: 401, body: { message: 'the demo knobs need the API token: -H "X-Auth-Token: <token>"' } });
  }
  if (pathname !== PORT_PATH) {
    req.resume();
    return reply(res, { status: 404, body: { message: `unknown knob ${pathname}: POST ${PORT_PATH}` } });
  }
  if (req.method === 'GET') {
    req.resume();
    return reply(res, { status: 200, body: state.ports.filter((p) => p.deleted === 0).map((p) => viewOf(state, p)) });
  }
  if (req.method !== 'POST') {
    req.resume();
    return reply(res, { status: 405, body: { message: `POST ${PORT_PATH} with a JSON body` } });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= MAX_BODY_BYTES) chunks.push(c);
  });
  req.on('end', () => {
    if (size > MAX_BODY_BYTES) return reply(res, { status: 413, body: { message: 'body too large' } });
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return reply(res, { status: 400, body: { message: 'the body is not JSON: -d \'{"hostname":"192.168.56.10","ifName":"ether1","utilisation":0.95}\'' } });
    }
    const control = parsePortControl(parsed);
    if (typeof control === 'string') return reply(res, { status: 400, body: { message: control } });
    reply(res, applyPortControl(state, control));
  });
}

/** The knob's usage, printed by `npm run demo` and the standalone double. */
export function controlUsage(url: string, token: string): string {
  return (
    `Demo knobs (docs/workshop.md): make ether1 busy, or take it down:\n` +
    `  curl -X POST -H 'X-Auth-Token: ${token}' -d '{"hostname":"192.168.56.10","ifName":"ether1","utilisation":0.95}' ${url}${PORT_PATH}\n` +
    `  curl -X POST -H 'X-Auth-Token: ${token}' -d '{"hostname":"192.168.56.10","ifName":"ether1","operStatus":"down"}' ${url}${PORT_PATH}\n`
  );
}
