/**
 * The floor of one refresh in its own process, as the exporter runs in its own: GET /devices and
 * /ports from the replay (with its latency), JSON.parse, the minimal writer (floor.ts), gzip level 1
 * of the bytes. Prints the median CPU and wall time of `runs` rounds (after one warm-up) as JSON, and
 * with a fifth argument `phases`, where that wall time went (the fetch, JSON.parse of `/ports` alone,
 * the rest of the writer, gzip; the parse is timed again on its own after each round, so the measured
 * round is unchanged, but its garbage may land in the next: `npm run bench` does not ask for it).
 * Arguments: <replay url> <token> <ports path> <runs> [phases]
 */
import { gzipSync } from 'node:zlib';
import { request } from 'undici';
import { floorRefresh } from './floor.js';

const [url, token, portsPath, runsText, withPhases] = process.argv.slice(2) as [string, string, string, string, string | undefined];
const get = async (path: string): Promise<string> => {
  const r = await request(`${url}/api/v0/${path}`, { headers: { 'x-auth-token': token } });
  return r.body.text();
};
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
const cpu: number[] = [];
const wall: number[] = [];
const phases = { fetchMs: [] as number[], parseMs: [] as number[], writeMs: [] as number[], gzipMs: [] as number[] };
let result = { bytes: 0, gzipBytes: 0, series: 0 };
for (let i = 0; i <= Number(runsText); i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const devicesJson = await get('devices');
  const portsJson = await get(portsPath);
  const t1 = performance.now();
  const floor = floorRefresh(devicesJson, portsJson);
  const t2 = performance.now();
  let gzipBytes = 0;
  for (const chunk of floor.chunks) gzipBytes += gzipSync(chunk, { level: 1 }).length;
  const c = process.cpuUsage(c0);
  const t3 = performance.now();
  if (i > 0) {
    wall.push(t3 - t0);
    cpu.push((c.user + c.system) / 1e6);
  }
  if (i > 0 && withPhases === 'phases') {
    const p0 = performance.now();
    JSON.parse(portsJson);
    const parseMs = performance.now() - p0;
    phases.fetchMs.push(t1 - t0);
    phases.parseMs.push(parseMs);
    phases.writeMs.push(t2 - t1 - parseMs);
    phases.gzipMs.push(t3 - t2);
  }
  result = { bytes: floor.bytes, gzipBytes, series: floor.series };
}
process.stdout.write(
  JSON.stringify({
    ...result,
    cpuS: median(cpu),
    wallMs: median(wall),
    phases: withPhases !== 'phases' ? undefined : Object.fromEntries(Object.entries(phases).map(([name, values]) => [name, median(values)])),
  }),
);
