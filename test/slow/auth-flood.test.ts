/**
 * A measurement of issue 13's authentication flood (`npm run test:slow`): it times real traffic, so it
 * lives outside the main lane, which never asserts a timing. About 15 guesses a second with a bcrypt
 * cost of 10 for 4 s, while Prometheus scrapes and Docker checks health: every valid scrape answers
 * 200 inside its 5 s timeout, /healthz inside Docker's 5 s, and a failure takes as long for an unknown
 * user as for a wrong password. (The main lane checks the same behaviour by state:
 * test/hostile-clients.test.ts and test/hostile-clients-round2.test.ts.)
 */
import t from 'tap';
import { request } from 'undici';
import { sleep, startProtectedPair } from '../helpers/harness.js';

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; ms: number }> {
  const started = performance.now();
  const response = await request(url, { headers });
  await response.body.dump();
  return { status: response.statusCode, headers: response.headers, ms: performance.now() - started };
}

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

t.test('an authentication flood: scrapes and /healthz keep answering, failures take as long for any user', async (t) => {
  // Cost 10, as in the report.
  const { exporter } = await startProtectedPair(t, 10);
  const metrics = `${exporter.url}/metrics`;
  const valid = { authorization: basic('prometheus', 'correct horse'), 'x-prometheus-scrape-timeout-seconds': '5' };
  t.equal((await get(metrics, valid)).status, 200, 'the valid login works (and is now cached)');

  // Failure timing, one at a time: a wrong password for a real user and any password for an unknown one.
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < 5; i++) {
    const a = await get(metrics, { authorization: basic('prometheus', `guess-${i}`) });
    const b = await get(metrics, { authorization: basic(`user-${i}`, `guess-${i}`) });
    t.equal(a.status, 401);
    t.equal(b.status, 401);
    known.push(a.ms);
    unknown.push(b.ms);
  }
  const ratio = median(unknown) / median(known);
  t.ok(ratio > 0.33 && ratio < 3, `an unknown user fails as slowly as a wrong password (${median(unknown).toFixed(0)} vs ${median(known).toFixed(0)} ms)`);

  // The flood: about 15 guesses a second for 4 s, while Prometheus scrapes and Docker checks health.
  let flooding = true;
  const floodStatuses = new Map<number, number>();
  const flood = (async () => {
    const sent: Promise<void>[] = [];
    for (let i = 0; i < 60; i++) {
      sent.push(
        get(metrics, { authorization: basic(i % 2 === 0 ? 'prometheus' : `nobody-${i}`, `random-${Math.random()}`) }).then(
          (r) => void floodStatuses.set(r.status, (floodStatuses.get(r.status) ?? 0) + 1),
        ),
      );
      await sleep(66);
    }
    await Promise.all(sent);
    flooding = false;
  })();
  const scrapes: { status: number; ms: number }[] = [];
  const health: { status: number; ms: number }[] = [];
  while (flooding) {
    const [s, h] = await Promise.all([get(metrics, valid), get(`${exporter.url}/healthz`)]);
    scrapes.push(s);
    health.push(h);
    await sleep(300);
  }
  await flood;
  t.ok(scrapes.length >= 5, `${scrapes.length} scrapes during the flood`);
  t.ok(
    scrapes.every((s) => s.status === 200 && s.ms < 5000),
    `every valid scrape answered 200 within its 5 s timeout (slowest ${Math.round(Math.max(...scrapes.map((s) => s.ms)))} ms)`,
  );
  t.ok(
    health.every((h) => h.status === 200 && h.ms < 5000),
    `/healthz within Docker's 5 s (slowest ${Math.round(Math.max(...health.map((h) => h.ms)))} ms)`,
  );
  t.same(
    [...floodStatuses.keys()].filter((s) => s !== 401 && s !== 429),
    [],
    `guesses are refused (401) or shed (429): ${JSON.stringify([...floodStatuses])}`,
  );
});
