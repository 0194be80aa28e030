/** `GET /`: a small page linking the endpoints, and `GET /healthz`: the process serves (never asks LibreNMS). */
import type { FastifyInstance } from 'fastify';
import { VERSION } from '../../version.js';

const LANDING_PAGE =
  '<!doctype html><html><head><meta charset="utf-8"><title>LibreNMS Exporter</title></head><body>' +
  `<h1>LibreNMS Exporter</h1><p>Version ${VERSION}. LibreNMS devices and ports as Prometheus metrics.</p>` +
  '<ul><li><a href="metrics">/metrics</a> (all devices; <code>?group=NAME</code> for one device group)</li>' +
  '<li><code>/probe?target=HOSTNAME</code>: one device</li><li><a href="sd">/sd</a>: Prometheus HTTP service discovery</li>' +
  '<li><a href="healthz">/healthz</a></li></ul></body></html>';

export function landingRoute(app: FastifyInstance): void {
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(LANDING_PAGE));
}

export function healthzRoute(app: FastifyInstance): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
}
