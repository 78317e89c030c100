/**
 * Issue 19 fuzzing (fast-check) of the studio host's HTTP routes and of audio
 * import, against a real `klappe serve` over loopback: the media route (hashes,
 * tokens, Range and other headers, HEAD), the static route (paths with
 * escapes, dots, slashes, long and odd names), uploads (names, bodies, methods,
 * origins) and raw requests over a socket (bad request lines and headers, cut
 * bodies). Audio import gets real WAV, MP3, M4A and FLAC files cut at random
 * points, files under the wrong extension and random bytes named as audio.
 * Zero crashes (the host answers /healthz after each property and never printed
 * an unhandled error), zero hangs (every case has a deadline), every refusal a
 * clear status with a message; a 500 is a failure. Bounded by KLAPPE_FUZZ_RUNS
 * (`npm run fuzz` runs many more). Loaded by fuzz.test.ts (so `npm run fuzz` runs it too).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import type { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaStore } from '../../engine/cache/media-store.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { tempDir, runCli } from '../support/env.js';
import { callApi, connectApi, startHost, type HostProcess } from '../support/host-process.js';

const RUNS = Number(process.env.KLAPPE_FUZZ_RUNS ?? 1000);
// an HTTP case is a loopback request and an audio case an ffprobe run: a share of RUNS each
const HTTP_RUNS = Math.max(50, Math.round(RUNS / 4));
const AUDIO_RUNS = Math.max(20, Math.round(RUNS / 25));
if (!process.env.KLAPPE_FUZZ_RUNS) fc.configureGlobal({ seed: Number(process.env.KLAPPE_FUZZ_SEED ?? 19) });
const CASE_MS = 20_000;
const counts: Record<string, number> = {};
const statuses: Record<string, Record<number, number>> = {};

const t = tempDir('klappe-fuzz-http-');
const env = {
  KLAPPE_DATA_DIR: join(t.dir, 'data'),
  KLAPPE_CONFIG_DIR: join(t.dir, 'config'),
  KLAPPE_PROJECTS_DIR: join(t.dir, 'projects'),
};
let host: HostProcess;
let ws: WebSocket;
/** The stored media: hash → bytes (an empty file, one byte, a WAV, random bytes). */
const stored = new Map<string, Buffer>();
const audioDir = join(t.dir, 'audio');
const sources: Record<string, Buffer> = {};

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request with a deadline: a reply that does not come is a hang, and fails the case. */
function http(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, method, path, headers: { host: `127.0.0.1:${host.port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.setTimeout(CASE_MS, () => req.destroy(new Error(`no reply to ${method} ${path} in ${CASE_MS} ms (a hang)`)));
    req.on('error', reject);
    req.end(body);
  });
}

function tally(route: string, status: number): void {
  counts[route] = (counts[route] ?? 0) + 1;
  (statuses[route] ??= {})[status] = (statuses[route]![status] ?? 0) + 1;
}

/** The host is alive and printed no crash. */
async function hostAlive(): Promise<void> {
  expect(host.child.exitCode, host.stderr()).toBeNull();
  expect((await http('GET', '/healthz')).status).toBe(200);
  expect(host.stderr()).not.toMatch(/Unhandled|uncaught|TypeError|RangeError|ReferenceError/i);
}

beforeAll(async () => {
  mkdirSync(audioDir, { recursive: true });
  const store = new MediaStore(join(t.dir, 'data', 'media'));
  const tone = join(audioDir, 'tone.wav');
  await runFfmpeg([
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000:duration=1.5',
    '-ac',
    '1',
    '-c:a',
    'pcm_s16le',
    tone,
  ]);
  for (const [ext, codec] of [
    ['mp3', ['-c:a', 'libmp3lame', '-b:a', '64k']],
    ['m4a', ['-c:a', 'aac', '-b:a', '64k']],
    ['flac', ['-c:a', 'flac']],
  ] as const)
    await runFfmpeg(['-v', 'error', '-i', tone, ...codec, join(audioDir, `tone.${ext}`)]);
  for (const ext of ['wav', 'mp3', 'm4a', 'flac']) sources[ext] = readFileSync(join(audioDir, `tone.${ext}`));
  for (const bytes of [Buffer.alloc(0), Buffer.from([7]), sources.wav!, randomBytes(5000)]) {
    const f = join(t.dir, 'blob');
    writeFileSync(f, bytes);
    const { hash } = await store.ingest(f);
    expect(hash).toBe(createHash('sha256').update(bytes).digest('hex'));
    stored.set(hash, bytes);
  }
  const made = await runCli(['new', join(t.dir, 'film'), '--template', 'two-scenes'], env);
  expect(made.status, made.stderr).toBe(0);
  host = await startHost(join(t.dir, 'host'), { project: join(t.dir, 'film'), env });
  ws = await connectApi(host.port, host.token);
  ws.setMaxListeners(0); // callApi listens for a close per call
}, 120_000);

afterAll(async () => {
  ws?.close();
  await host?.stop();
  t.cleanup();
  console.log(`fuzz cases (http, audio import): ${JSON.stringify(counts)}; statuses: ${JSON.stringify(statuses)}`);
});

const tokenArb = () => fc.oneof({ arbitrary: fc.constant('good'), weight: 4 }, fc.constant('none'), fc.string({ maxLength: 40 }));
const withToken = (kind: string) => (kind === 'good' ? `token=${host.token}` : kind === 'none' ? '' : `token=${encodeURIComponent(kind)}`);
const bigInt = fc.oneof(fc.nat(20_000), fc.constantFrom('0', '00', '9007199254740993', '99999999999999999999999', '-1', '1e3', ' 5'));
const rangeArb = fc.oneof(
  fc.constant(undefined),
  { arbitrary: fc.tuple(fc.nat(6000), fc.nat(6000)).map(([a, b]) => `bytes=${a}-${b}`), weight: 3 },
  fc.tuple(bigInt, bigInt).map(([a, b]) => `bytes=${a}-${b}`),
  fc.tuple(fc.option(bigInt, { nil: '' }), fc.option(bigInt, { nil: '' })).map(([a, b]) => `bytes=${a}-${b}`),
  fc.constantFrom('bytes=0-0,5-9', 'bytes=-0', 'bytes=--1', 'items=0-1', 'bytes=', 'bytes=1-0', 'bytes = 0-1'),
  fc.string({ maxLength: 40 }).filter((s) => !/[\r\n\0]/.test(s) && /^[\x20-\x7e]*$/.test(s)),
);

describe('fuzzing the studio host over loopback', () => {
  it('media route: hashes, tokens, Range headers, GET and HEAD', async () => {
    const hashes = [...stored.keys()];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ arbitrary: fc.constantFrom(...hashes), weight: 4 }, fc.stringMatching(/^[0-9a-f]{64}$/), fc.string({ maxLength: 70 })),
        tokenArb(),
        rangeArb,
        fc.constantFrom('GET', 'HEAD', 'GET', 'GET', 'POST', 'DELETE'),
        async (hash, token, range, method) => {
          const path = `/media/${encodeURIComponent(hash)}?${withToken(token)}`;
          const r = await http(method, path, range === undefined ? {} : { range });
          tally('media', r.status);
          expect(r.status, `${method} ${path} range=${range}: ${r.body.toString()}`).not.toBe(500);
          expect([200, 206, 400, 401, 404, 405, 416]).toContain(r.status);
          const bytes = stored.get(hash);
          if (r.status === 200 || r.status === 206) {
            expect(bytes).toBeDefined();
            expect(token).toBe('good');
            expect(Number(r.headers['content-length'])).toBe(method === 'HEAD' ? Number(r.headers['content-length']) : r.body.length);
            if (method === 'GET' && r.status === 200) expect(r.body.equals(bytes!)).toBe(true);
            if (r.status === 206) {
              const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(r.headers['content-range']))!;
              expect(Number(m[3])).toBe(bytes!.length);
              if (method === 'GET') expect(r.body.equals(bytes!.subarray(Number(m[1]), Number(m[2]) + 1))).toBe(true);
            }
          } else if (method !== 'HEAD') expect(r.body.length, `${r.status} without a message`).toBeGreaterThan(0);
        },
      ),
      { numRuns: HTTP_RUNS },
    );
    await hostAlive();
  }, 300_000);

  it('static route: any path (escapes, dots, slashes, long names) is a file of the UI, a 404 or a 400', async () => {
    const renderer = readFileSync(join(t.dir, 'host', 'renderer', 'index.html'));
    const piece = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '',
        '%2e%2e',
        '%2E.',
        '%2f',
        '%5c',
        '\\',
        '%00',
        '%',
        '%E0%A4%A',
        '%ff',
        'index.html',
        'assets',
        '~',
        '%20',
        '//',
        '?',
        '#',
        ';',
        'ä',
        '%C0%AE',
      ),
      fc.string({ maxLength: 12 }),
      fc.string({ minLength: 200, maxLength: 400 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 8 }), fc.constantFrom('GET', 'HEAD'), async (pieces, method) => {
        // what a raw request line may hold: bytes outside printable ASCII and spaces go percent-encoded
        const raw = pieces.join('/').replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
        const r = await http(method, `/${raw}`);
        tally('static', r.status);
        expect(r.status, `${method} /${raw}: ${r.body.toString().slice(0, 200)}`).not.toBe(500);
        expect([200, 400, 404]).toContain(r.status);
        if (r.status === 200 && method === 'GET') expect(r.body.toString()).toContain(renderer.toString().slice(-20));
      }),
      { numRuns: HTTP_RUNS },
    );
    await hostAlive();
  }, 300_000);

  it('upload route: names, bodies, methods, tokens and origins', async () => {
    const before = readdirSync(t.dir).sort();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom('..', '.', '../../escape.wav', '/etc/passwd', 'a/b\\c.wav', '', '%00.wav', 'CON', 'x'.repeat(300)),
          fc.string({ maxLength: 60 }),
        ),
        fc.uint8Array({ maxLength: 20_000 }),
        fc.constantFrom('PUT', 'PUT', 'PUT', 'POST', 'GET'),
        tokenArb(),
        fc.oneof(
          fc.constant(undefined),
          fc.constant('own'),
          fc.constantFrom('http://evil.example', 'null', 'file://'),
          fc.string({ maxLength: 30 }),
        ),
        async (name, body, method, token, origin) => {
          const headers: Record<string, string> = {};
          if (origin === 'own') headers.origin = `http://127.0.0.1:${host.port}`;
          else if (origin !== undefined && /^[\x20-\x7e]*$/.test(origin)) headers.origin = origin;
          const r = await http(method, `/upload?${withToken(token)}&name=${encodeURIComponent(name)}`, headers, Buffer.from(body));
          tally('upload', r.status);
          expect(r.status, `${method} name=${JSON.stringify(name)}: ${r.body.toString()}`).not.toBe(500);
          expect([200, 400, 401, 403, 405]).toContain(r.status);
          expect(r.body.toString()).not.toMatch(/klappe-uploads|\/tmp\//);
          if (r.status === 200) expect(JSON.parse(r.body.toString()).uploadId).toMatch(/^[A-Za-z0-9_-]{20,}$/);
          else expect(r.body.length, `${r.status} without a message`).toBeGreaterThan(0);
        },
      ),
      { numRuns: HTTP_RUNS },
    );
    // nothing written outside the data folder's work folders
    expect(readdirSync(t.dir).sort()).toEqual(before);
    for (const w of readdirSync(join(t.dir, 'data', 'work'))) expect(w).toMatch(/^klappe-/);
    await hostAlive();
  }, 300_000);

  it('raw requests over a socket: bad request lines and headers, cut bodies, garbage', async () => {
    const line = fc.oneof(
      fc.constantFrom(
        'GET / HTTP/1.1',
        'GET /healthz HTTP/1.0',
        'GET',
        'GET /',
        'BREW / HTTP/1.1',
        'GET / HTTP/9.9',
        'GET /../../etc/passwd HTTP/1.1',
        'PUT /upload?name=a.wav HTTP/1.1',
        'GET //%C0%AE HTTP/1.1',
        'GET * HTTP/1.1',
        'GET http://x/api HTTP/1.1',
        '\u0000\u0001',
        '',
      ),
      fc.string({ maxLength: 80 }),
    );
    const header = fc.oneof(
      fc.constantFrom(
        'Host: evil',
        'Range: bytes=0-1',
        'Content-Length: -1',
        'Content-Length: 99999999999',
        'Transfer-Encoding: chunked',
        'Transfer-Encoding: gzip, chunked',
        'Connection: upgrade',
        'Upgrade: websocket',
        'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'X: ' + 'a'.repeat(20_000),
        ': no name',
        'Bad Header',
        'Content-Length: 5\r\nContent-Length: 6',
      ),
      fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 60 })).map(([k, v]) => `${k}: ${v}`),
    );
    await fc.assert(
      fc.asyncProperty(
        line,
        fc.array(header, { maxLength: 5 }),
        fc.boolean(),
        fc.uint8Array({ maxLength: 2000 }),
        async (l, hs, ownHost, body) => {
          const head = [l, ...(ownHost ? [`Host: 127.0.0.1:${host.port}`] : []), ...hs].join('\r\n') + '\r\n\r\n';
          const answer = await new Promise<string>((resolve, reject) => {
            const s = connect(host.port, '127.0.0.1');
            let got = '';
            const timer = setTimeout(() => {
              s.destroy();
              reject(new Error(`no reply and no close in ${CASE_MS} ms (a hang) for ${JSON.stringify(head.slice(0, 200))}`));
            }, CASE_MS);
            s.on('data', (d: Buffer) => {
              got += d.toString('latin1');
              // one reply is enough; the host may keep the connection open for the next
              if (/\r\n\r\n/.test(got)) s.end();
            });
            s.on('error', () => undefined);
            s.on('close', () => {
              clearTimeout(timer);
              resolve(got);
            });
            s.write(head);
            // a body that is cut short: the client goes away in the middle
            s.write(Buffer.from(body));
            s.end();
          });
          const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0);
          tally('raw', status);
          expect(status, answer.slice(0, 300)).not.toBe(500);
        },
      ),
      { numRuns: HTTP_RUNS },
    );
    await hostAlive();
  }, 300_000);
});

/** The bytes of an audio case: a real file cut short, random bytes behind a header, or not audio at all. */
function audioBytes(c: { kind: string; cut?: number; seed?: number; length?: number }): Buffer {
  if (c.kind in sources) return sources[c.kind]!.subarray(0, Math.floor(sources[c.kind]!.length * (c.cut ?? 1)));
  if (c.kind === 'text') return Buffer.from('hello, not a recording');
  if (c.kind === 'zeros') return Buffer.alloc(100);
  const rnd = Buffer.alloc(c.length ?? 0);
  let x = (c.seed ?? 1) | 1;
  for (let i = 0; i < rnd.length; i++) rnd[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  const head =
    c.kind === 'wav-header' ? sources.wav!.subarray(0, 44) : c.kind === 'random' ? Buffer.alloc(0) : Buffer.from(c.kind, 'latin1');
  return Buffer.concat([head, rnd]);
}

describe('fuzzing audio import (through the host: audio.import)', () => {
  const exts = ['.wav', '.mp3', '.m4a', '.flac'];
  it('real audio cut at random points, under wrong extensions, and random bytes named as audio: imported or refused clearly', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          // a real file cut at a random point (header only, mid-frame, one byte short…)
          fc.record({
            kind: fc.constantFrom('wav', 'mp3', 'm4a', 'flac'),
            cut: fc.double({ min: 0, max: 1, noNaN: true }),
            ext: fc.constantFrom(...exts),
          }),
          // a whole real file under another audio extension
          fc.record({ kind: fc.constantFrom('wav', 'mp3', 'm4a', 'flac'), cut: fc.constant(1), ext: fc.constantFrom(...exts) }),
          // random bytes (sometimes behind a real header) named as audio
          fc.record({
            kind: fc.constantFrom('random', 'RIFF', 'ID3', 'fLaC', 'wav-header'),
            seed: fc.nat(),
            length: fc.nat(4000),
            ext: fc.constantFrom(...exts),
          }),
          // not audio at all, or no such extension
          fc.record({ kind: fc.constantFrom('text', 'zeros'), ext: fc.constantFrom('.wav', '.txt', '.mp3', '') }),
        ),
        fc.boolean(),
        async (input, trimSilence) => {
          const file = join(audioDir, `case-${n}${input.ext}`);
          const at = n++ * 100; // a place of its own on the track: an import never overlaps an earlier one
          writeFileSync(file, audioBytes(input));
          const what = JSON.stringify(input);
          const reply = await Promise.race([
            callApi(ws, 'audio.import', { path: file, trackId: 'd1', at, trimSilence }),
            new Promise<never>((_, reject) =>
              setTimeout(() => reject(new Error(`audio.import of ${what} hung for ${CASE_MS} ms`)), CASE_MS),
            ),
          ]);
          counts['audio import'] = (counts['audio import'] ?? 0) + 1;
          const outcome = reply.ok ? 'imported' : (reply.error?.code as string);
          counts[`audio ${outcome}`] = (counts[`audio ${outcome}`] ?? 0) + 1;
          if (!reply.ok) {
            expect(reply.error.kind, `${what}: ${JSON.stringify(reply.error)}`).toBe('input');
            expect(reply.error.code).not.toBe('INTERNAL');
            expect(reply.error.message.length).toBeGreaterThan(10);
            if (/AUDIO/.test(reply.error.code)) expect(reply.error.message).toContain(file);
          }
        },
      ),
      { numRuns: AUDIO_RUNS },
    );
    await hostAlive();
  }, 600_000);
});
