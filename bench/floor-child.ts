/**
 * The floor of one refresh in its own process, as the exporter runs in its own: GET /devices and
 * /ports from the replay (with its latency), JSON.parse, the minimal writer (floor.ts), gzip level 1
 * of the bytes. Prints the median CPU and wall time of `runs` rounds (after one warm-up) as JSON.
 * Arguments: <replay url> <token> <ports path> <runs>
 */
import { gzipSync } from 'node:zlib';
import { request } from 'undici';
import { floorRefresh } from './floor.js';

const [url, token, portsPath, runsText] = process.argv.slice(2) as [string, string, string, string];
const get = async (path: string): Promise<string> => {
  const r = await request(`${url}/api/v0/${path}`, { headers: { 'x-auth-token': token } });
  return r.body.text();
};
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
const cpu: number[] = [];
const wall: number[] = [];
let result = { bytes: 0, gzipBytes: 0, series: 0 };
for (let i = 0; i <= Number(runsText); i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const devicesJson = await get('devices');
  const portsJson = await get(portsPath);
  const floor = floorRefresh(devicesJson, portsJson);
  let gzipBytes = 0;
  for (const chunk of floor.chunks) gzipBytes += gzipSync(chunk, { level: 1 }).length;
  const c = process.cpuUsage(c0);
  if (i > 0) {
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1e6);
  }
  result = { bytes: floor.bytes, gzipBytes, series: floor.series };
}
process.stdout.write(JSON.stringify({ ...result, cpuS: median(cpu), wallMs: median(wall) }));
