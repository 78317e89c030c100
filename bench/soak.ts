/**
 * Soak (issue 19; `npm run soak`, 10 minutes, not in the suite): the browser
 * host with 200 queued generations, 5 concurrent exports (started again as
 * they finish) and a UI client streaming progress over the WebSocket. Prints
 * the event-loop delay (p50/p99/max) and memory (RSS, heap) over the run,
 * and fails (exit 1) past its bounds. KLAPPE_SOAK_SECONDS=60 for a short run.
 * The start (opening the 200-shot project, queueing its 200 generations and
 * the first exports, which queue the takes they lack) is measured on its own:
 * the run's figures are the steady state after it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { startStudioServer } from '../engine/host/studio-server.js';
import { assetPath } from '../engine/util/paths.js';
import { makeLargeProject } from './foundation.bench.js';

const seconds = Number(process.env.KLAPPE_SOAK_SECONDS ?? process.env.SOAK_SECONDS ?? 600);
/** Bounds of the steady state: event-loop delay p99 and the most memory the process may hold. */
const BOUNDS = { p99Ms: Number(process.env.KLAPPE_SOAK_P99_MS ?? 250), rssMiB: Number(process.env.KLAPPE_SOAK_RSS_MIB ?? 1536) };
const root = mkdtempSync(join(tmpdir(), 'klappe-soak-'));
process.env.KLAPPE_DATA_DIR = join(root, 'data');
process.env.KLAPPE_CONFIG_DIR = join(root, 'config');
const renderer = join(root, 'renderer');
mkdirSync(renderer);
writeFileSync(join(renderer, 'index.html'), '<!doctype html>');
const project = join(root, 'film');
mkdirSync(project);
writeFileSync(
  join(project, 'project.klappe'),
  makeLargeProject(readFileSync(assetPath('templates', 'two-scenes', 'project.klappe'), 'utf8'), 200),
);

const server = await startStudioServer({ rendererDir: renderer, projectsDir: join(root, 'projects') });
const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` });
await new Promise((r) => ws.once('open', r));
let events = 0;
let nextId = 1;
const waiting = new Map<number, (m: { ok: boolean; result?: any; error?: any }) => void>();
const exportsRunning = new Set<string>();
ws.on('message', (d: Buffer) => {
  const m = JSON.parse(d.toString());
  if (m.event) {
    events++;
    if (m.event === 'export.done') {
      exportsRunning.delete(m.data.exportId);
      inFlight--;
    }
  } else waiting.get(m.id)?.(m);
});
const call = (method: string, params: unknown = {}) =>
  new Promise<{ ok: boolean; result?: any; error?: any }>((resolve) => {
    const id = nextId++;
    waiting.set(id, resolve);
    ws.send(JSON.stringify({ id, method, params }));
  });

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
let maxRss = 0;
let maxHeap = 0;
const sample = setInterval(() => {
  const m = process.memoryUsage();
  maxRss = Math.max(maxRss, m.rss);
  maxHeap = Math.max(maxHeap, m.heapUsed);
}, 1000);

const timed = async (method: string, params: unknown = {}) => {
  const started = performance.now();
  const r = await call(method, params);
  return { r, ms: Math.round(performance.now() - started) };
};
const opened = await timed('project.open', { dir: project });
if (!opened.r.ok) throw new Error(JSON.stringify(opened.r.error));
const queued = await timed('generate.enqueue', { backend: 'slate' });
const enq = queued.r;
console.log(
  `opened the 200-shot project in ${opened.ms} ms; queued ${enq.result?.jobIds.length ?? 0} generations in ${queued.ms} ms (${enq.ok ? 'ok' : JSON.stringify(enq.error)})`,
);
let startup: { p99: number; max: number } | undefined;
const warmUntil = Date.now() + Math.min(30_000, seconds * 250);
const end = Date.now() + seconds * 1000;
let exportsStarted = 0;
let exportErrors = 0;
let inFlight = 0;
while (Date.now() < end) {
  // an export first waits for the shots' takes: its reply may come late, so the calls are not awaited
  while (inFlight < 5) {
    inFlight++;
    exportsStarted++;
    void call('export.start', {
      preset: '16:9-720p',
      output: join(root, `out-${exportsStarted}.mp4`),
      watermark: false,
      invisibleWatermark: false,
      sign: false,
    }).then((r) => {
      if (r.ok) exportsRunning.add(r.result.exportId);
      else {
        exportErrors++;
        inFlight--;
      }
    });
  }
  await new Promise((r) => setTimeout(r, 500));
  if (!startup && Date.now() > warmUntil) {
    // the start is over (the first exports have queued what they lack): measure the steady state from here
    startup = { p99: delay.percentile(99), max: delay.max };
    delay.reset();
    maxRss = 0;
    maxHeap = 0;
  }
}
clearInterval(sample);
delay.disable();
const jobs = await Promise.race([
  call('generate.list'),
  new Promise<{ ok: boolean; result?: any }>((r) => setTimeout(() => r({ ok: false }), 5000)),
]);
const done = (jobs.result as { status: string }[] | undefined)?.filter((j) => j.status === 'done').length ?? 0;
const ms = (ns: number) => (ns / 1e6).toFixed(1);
const p99 = delay.percentile(99) / 1e6;
const rssMiB = maxRss / 2 ** 20;
console.log(
  `soak ${seconds} s: start (open, queue 200, first exports): event-loop delay p99 ${ms(startup?.p99 ?? 0)} ms, max ${ms(startup?.max ?? 0)} ms; ` +
    `steady state: event-loop delay p50 ${ms(delay.percentile(50))} ms, p99 ${p99.toFixed(1)} ms, max ${ms(delay.max)} ms; ` +
    `RSS max ${rssMiB.toFixed(0)} MiB, heap max ${(maxHeap / 2 ** 20).toFixed(0)} MiB; ${events} events streamed; ` +
    `${done}/${enq.result?.jobIds.length ?? 0} generations done; ${exportsStarted} exports started (${exportErrors} refused)`,
);
const within = p99 <= BOUNDS.p99Ms && rssMiB <= BOUNDS.rssMiB;
console.log(`bounds: p99 <= ${BOUNDS.p99Ms} ms, RSS <= ${BOUNDS.rssMiB} MiB: ${within ? 'within' : 'EXCEEDED'}`);
for (const id of exportsRunning) void call('export.cancel', { exportId: id });
ws.close();
await Promise.race([server.close(), new Promise((r) => setTimeout(r, 5000))]);
rmSync(root, { recursive: true, force: true });
process.exit(within ? 0 : 1);
