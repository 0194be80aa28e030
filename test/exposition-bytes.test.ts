/**
 * Issue 15: the streaming refresh (rows rendered as `/ports` arrives, compressed while written, kept
 * only compressed) serves the same bytes as before. The golden files were written from the code before
 * that change by test/tools/write-exposition-golden.ts; here both answers, plain and gzip
 * (decompressed), must equal them byte for byte, on the lab and on a synthetic install.
 */

import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import t, { type Test } from 'tap';
import { LibreNmsError } from '../src/errors.js';
import { family } from '../src/exposition/catalog.js';
import { ExpositionMemo } from '../src/exposition/exposition.js';
import { ExpositionWriter } from '../src/exposition/writer.js';
import { LibreNmsClient } from '../src/librenms/client.js';
import { EnvelopeStream, EnvelopeSyntaxError } from '../src/librenms/envelope-stream.js';
import { dataPart, GOLDEN_CASES, served } from './helpers/golden.js';
import { plainText } from './helpers/render.js';

/** The first line where two texts differ, for a readable failure. */
function firstDifference(actual: Buffer, expected: Buffer): string {
  const a = actual.toString('utf8').split('\n');
  const e = expected.toString('utf8').split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) return `line ${i + 1}: got ${JSON.stringify(a[i])}, expected ${JSON.stringify(e[i])}`;
  }
  return 'same lines';
}

for (const c of GOLDEN_CASES) {
  t.test(`${c.name}: plain and gzip answers carry the golden bytes`, async (t) => {
    const golden = gunzipSync(readFileSync(new URL(`fixtures/exposition/${c.name}.prom.gz`, import.meta.url)));
    const { plain, gzip } = await served(c);
    const plainData = dataPart(plain);
    const gzipData = dataPart(gzip);
    t.ok(golden.length > 1000, 'the golden file holds data');
    t.ok(plainData.equals(golden), `plain: ${plainData.length} bytes vs ${golden.length} (${firstDifference(plainData, golden)})`);
    t.ok(gzipData.equals(golden), `gzip: ${gzipData.length} bytes vs ${golden.length} (${firstDifference(gzipData, golden)})`);
    t.notOk(/^librenms_(port|device)_/m.test(plain.subarray(0, plain.length - plainData.length).toString('utf8')), 'no LibreNMS data before it');
  });
}

/** Parses `text` through the stream, cut at `cuts`; the envelope with the list put back, or a label. */
function viaStream(text: string, cuts: readonly number[]): string {
  const items: unknown[] = [];
  const stream = new EnvelopeStream('ports', (item) => items.push(item));
  try {
    let last = 0;
    for (const cut of [...cuts, text.length]) {
      stream.push(text.slice(last, cut));
      last = cut;
    }
    const { envelope, listSeen } = stream.end();
    if (stream.notObject) return 'not an object';
    return JSON.stringify({ ...envelope, ...(listSeen ? { ports: items } : {}) });
  } catch (error) {
    if (error instanceof EnvelopeSyntaxError) return 'not JSON';
    throw error;
  }
}

function viaParse(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const { ports, ...rest } = value as Record<string, unknown>;
  return JSON.stringify(Array.isArray(ports) ? { ...rest, ports } : value);
}

t.test('the envelope stream accepts and rejects exactly what JSON.parse does, wherever the body is cut', async (t) => {
  const bodies = [
    '{"status":"ok","ports":[{"a":1,"b":"x}\\"]"},{"c":null}],"count":2}',
    '{\n    "status": "ok",\n    "ports": [\n        {\n            "port_id": 1,\n            "ifAlias": "Link to \\"bldg-2\\" \\\\\\\\fs01 \\u00fc \\ud83d\\udce1"\n        }\n    ],\n    "count": 1\n}',
    '{"status":"ok","ports":[]}',
    '{}',
    '[]',
    '"ok"',
    'null',
    '42',
    '',
    ' ',
    '{"status":"ok","ports":{"3":{"port_id":3}}}',
    '{"status":"error","message":"Invalid columns: ifFoo"}',
    '<br />\n<b>Deprecated</b>: x {"status":"ok","devices":[]}',
    '{"status":"ok","ports":[1,2,[3,{"x":[]}],"s"]}',
    '{"a":1,}',
    '{"a":1 "b":2}',
    '{"a":[1,]}',
    '{"ports":[1 2]}',
    '{"a":01}',
    '{"a":tru}',
    '{"a":1}x',
    '{"a":1}}',
    '{"status":"ok","ports":[{"a":1}',
    '{"a":"\\',
    '{"ports":5,"ports":[1]}',
    '{"ports":[1],"ports":5}',
    '{"a":-1.5e3,"b":[true,false,null]}',
    '  {  "a" : "b" }  ',
  ];
  let random = 42;
  const next = (n: number): number => {
    random = (random * 1103515245 + 12345) % 2147483648;
    return random % Math.max(1, n);
  };
  for (const body of bodies) {
    const expected = viaParse(body);
    const cutsList: number[][] = [[]];
    for (let i = 1; i < body.length; i++) cutsList.push([i]);
    for (let i = 0; i < 50; i++) cutsList.push([next(body.length), next(body.length), next(body.length)].sort((a, b) => a - b));
    const wrong = cutsList.find((cuts) => viaStream(body, cuts) !== expected);
    t.same(wrong, undefined, `${JSON.stringify(body)} reads as ${expected} however it is cut`);
  }
});

/** A LibreNMS stand-in answering /api/v0/ports with exact bytes, in pieces. */
async function portsServer(t: Test, pieces: readonly Buffer[]): Promise<LibreNmsClient> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    for (const piece of pieces) res.write(piece);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new LibreNmsClient({
    baseUrl: new URL(`http://127.0.0.1:${port}/api/v0/`),
    token: 'x',
    concurrency: 1,
    timeoutMs: 5000,
    maxResponseBytes: 4096,
  });
  t.teardown(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return client;
}

t.test('streamed /ports: a BOM is dropped, and a character split between pieces is whole', async (t) => {
  const body = Buffer.from('\ufeff{"status":"ok","ports":[{"port_id":1,"ifAlias":"Büro 📡"}],"count":1}', 'utf8');
  const split = body.indexOf(Buffer.from('📡', 'utf8')) + 2;
  const client = await portsServer(t, [body.subarray(0, 2), body.subarray(2, split), body.subarray(split)]);
  const rows: unknown[] = [];
  t.equal(await client.streamAllPorts((row) => rows.push(row)), 1);
  t.same(rows, [{ port_id: 1, ifAlias: 'Büro 📡' }]);
});

t.test('streamed /ports: a body past LIBRENMS_MAX_RESPONSE_BYTES is abandoned', async (t) => {
  const row = `{"port_id":1,"ifAlias":"${'x'.repeat(200)}"}`;
  const body = Buffer.from(`{"status":"ok","ports":[${Array.from({ length: 100 }, () => row).join(',')}]}`);
  const client = await portsServer(t, [body.subarray(0, 1000), body.subarray(1000, 3000), body.subarray(3000)]);
  const error = await client.streamAllPorts(() => undefined).catch((e: unknown) => e);
  t.ok(error instanceof LibreNmsError);
  t.equal((error as LibreNmsError).message, 'LibreNMS answered /ports with more than 4096 bytes; the rest was not read');
  t.equal((error as LibreNmsError).limitBytes, 4096, 'the error carries the limit; the setting is named where it is reported');
});

t.test('streamed /ports: an error page with status 200 is named as before', async (t) => {
  const client = await portsServer(t, [Buffer.from('<html><head><title>502 Bad Gateway</title></head></html>')]);
  const error = await client.streamAllPorts(() => undefined).catch((e: unknown) => e);
  t.match((error as LibreNmsError).message, /answered \/ports with a body that is not JSON \(\d+ bytes, PHP or the web server wrote: 502 Bad Gateway\)/);
});

t.test('kept text and streamed text of a compressed exposition are the same bytes', async (t) => {
  // The same samples into a compressing writer and a plain one: pieces reused after zlib has read them
  // (several 256 KiB pieces per family) and a family too small for a gzip stream of its own.
  const side = new ExpositionWriter({}, { gzipLevel: 1 });
  const plain = new ExpositionWriter();
  const write = (w: typeof side): void => {
    const info = w.family(family('librenms_port_info'));
    const up = w.family(family('librenms_port_up'));
    const mtu = w.family(family('librenms_port_mtu_bytes'));
    for (let i = 0; i < 40000; i++) {
      w.sample(info, w.labels(['hostname', 'ifName'], [`h${i % 97}`, `p"${i}\\ü`]), 1);
      if (i % 3 !== 0) w.sample(up, w.labels(['hostname'], [`h${i}`]), i % 2);
      if (i < 3) w.sample(mtu, w.labels(['hostname'], [`h${i}`]), 9000 + i * 2 ** 40);
    }
  };
  write(side);
  write(plain);
  const rendered = await side.finish();
  t.same(
    rendered.map((part) => (part.gzip === undefined ? 'text' : part.chunks.length === 0 ? 'gzip' : 'both')),
    ['gzip', 'gzip', 'text'],
    'only the gzip is kept, and a family smaller than one piece stays text',
  );
  const reference = plainText(plain.finishPlain());
  const exposition = new ExpositionMemo().get([rendered]);
  if (exposition === undefined) throw new Error('no exposition');
  const streamed = Buffer.concat((await exposition.plain().toArray()) as Buffer[]);
  const kept = Buffer.concat(await (exposition.keptText() ?? Promise.resolve([])));
  const zipped = gunzipSync(Buffer.concat(await exposition.gzip()));
  t.equal(streamed.length, exposition.byteLength);
  t.ok(streamed.equals(reference), 'streamed text: the same bytes as written without gzip');
  t.ok(kept.equals(reference), 'kept text');
  t.ok(zipped.equals(reference), 'gzip');
});
