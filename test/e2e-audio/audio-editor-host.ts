/**
 * A small host for the audio editor's test page: a real project with a real
 * imported recording (flite speech, then a steady tone), the page served by
 * Vite, and a JSON api on the real engine (peaks, VAD, commands, export with
 * level and loudness measurements). Started by playwright.audio.config.ts.
 *
 *   node bin/run-ts.mjs test/e2e-audio/audio-editor-host.ts --port 47821 --info-file /tmp/x.json
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createServer } from 'vite';
import { importAudio } from '../../engine/audio/import-audio.js';
import { measureLoudness } from '../../engine/audio/loudness.js';
import { getPeaks, peaksForView } from '../../engine/audio/peaks.js';
import { detectSpeech } from '../../engine/audio/vad.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { isKlappeError } from '../../engine/common/errors.js';
import { exportProject } from '../../engine/export/export-project.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { findClip } from '../../engine/model/lookup.js';
import { loadProject } from '../../engine/model/project-file.js';
import { saveProject } from '../support/write-project.js';
import { frameToSample } from '../../engine/common/time.js';
import { sha256File } from '../../engine/util/hash.js';
import { ROOT } from '../support/env.js';
import { fliteSpeak } from '../support/flite-speech.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '47821' },
    'info-file': { type: 'string' },
    recording: { type: 'string' },
    'no-vad': { type: 'boolean', default: false },
  },
});
const home = mkdtempSync(join(tmpdir(), 'klappe-audio-editor-'));
process.env.KLAPPE_DATA_DIR = join(home, 'data');
const project = join(home, 'project');
cpSync(join(ROOT, 'assets', 'templates', 'empty'), project, { recursive: true });

// the recording: a spoken sentence, then 4 s of a steady 440 Hz tone (or a file given with --recording, e.g. the benchmark's hour)
const recording = values.recording ?? join(project, 'recording.wav');
let speechSeconds = 0;
if (!values.recording) {
  const speech = join(home, 'speech.wav');
  await fliteSpeak('Is this your cup? I found it on the table by the window.', speech);
  await runFfmpeg([
    '-v',
    'error',
    '-i',
    speech,
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000:duration=4',
    '-filter_complex',
    '[0:a]aresample=48000[s];[1:a]volume=6dB[t];[s][t]concat=n=2:v=0:a=1,aformat=channel_layouts=stereo[o]',
    '-map',
    '[o]',
    '-c:a',
    'pcm_s16le',
    recording,
  ]);
  speechSeconds = Number(readFileSync(speech).length - 44) / 2 / 16000;
}
let doc = applyCommand(loadProject(project).doc, { type: 'clip.remove', clipId: 'clip-1' }).doc;
const imported = await importAudio(doc, project, recording, { trackId: 'd1', at: 0 });
doc = imported.doc;
saveProject(join(project, 'project.klappe'), doc);
const recordingHash = await sha256File(recording);
let loudness: { integrated: number; truePeak: number; target?: number } | null = null;

function clipView() {
  const { clip } = findClip(doc, imported.clipId)!;
  const rate = doc.sequence.rate;
  const sourceStartSample = frameToSample(clip.sourceStart, rate);
  return {
    id: clip.id,
    name: clip.name,
    sourceStartSample,
    samples: frameToSample(clip.recordStart + clip.duration, rate) - frameToSample(clip.recordStart, rate),
    edits: clip.audioEdits ?? [],
  };
}

function state() {
  return { clip: clipView(), loudness, toneStartSeconds: speechSeconds, project };
}

async function body(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

async function meanVolume(file: string, start: number, end: number): Promise<number> {
  const { stderr } = await runFfmpeg(['-i', file, '-vn', '-af', `atrim=start=${start}:end=${end},volumedetect`, '-f', 'null', '-']);
  const m = /mean_volume:\s*(-?[\d.]+|-inf) dB/.exec(stderr);
  return !m || m[1] === '-inf' ? -200 : Number(m[1]);
}

async function api(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const url = new URL(req.url ?? '/', 'http://host');
  if (url.pathname === '/healthz') return { ok: true };
  if (url.pathname === '/api/state') return state();
  if (url.pathname === '/api/peaks') {
    const peaks = await getPeaks(recording, { sha256: recordingHash });
    return peaksForView(peaks, {
      startSample: Number(url.searchParams.get('start')),
      endSample: Number(url.searchParams.get('end')),
      minPeaks: Number(url.searchParams.get('min')),
    });
  }
  if (url.pathname === '/api/speech') return values['no-vad'] ? [] : detectSpeech(recording);
  if (url.pathname === '/api/apply' && req.method === 'POST') {
    const { commands } = await body(req);
    let next = doc;
    for (const c of commands) next = applyCommand(next, c).doc;
    doc = next;
    saveProject(join(project, 'project.klappe'), doc);
    return state();
  }
  if (url.pathname === '/api/export' && req.method === 'POST') {
    const { ranges, loudness: target } = await body(req);
    const out = join(home, 'export.mp4');
    await exportProject(loadProject(project), out, {
      force: true,
      size: { width: 64, height: 64 },
      store: new MediaStore(),
      loudness: target,
      watermark: false,
      invisibleWatermark: false,
      sign: false,
    });
    const m = await measureLoudness(out);
    loudness = { integrated: m.integrated, truePeak: m.truePeak, target };
    const levels = [];
    for (const [a, b] of ranges as Array<[number, number]>) levels.push(await meanVolume(out, a, b));
    return { output: out, levels, loudness, recordingUnchanged: (await sha256File(recording)) === recordingHash };
  }
  res.statusCode = 404;
  return { message: `no ${url.pathname}` };
}

const server = await createServer({
  configFile: false,
  root: join(ROOT, 'renderer', 'audio-editor', 'test-page'),
  cacheDir: join(home, 'vite-cache'),
  logLevel: 'warn',
  esbuild: { jsx: 'automatic' },
  server: { port: Number(values.port), host: '127.0.0.1', strictPort: true, fs: { allow: [ROOT] } },
  plugins: [
    {
      name: 'klappe-audio-editor-host',
      configureServer(s) {
        s.middlewares.use((req, res, next) => {
          if (!req.url?.startsWith('/api/') && !req.url?.startsWith('/healthz')) return next();
          api(req, res).then(
            (result) => {
              res.setHeader('content-type', 'application/json');
              res.end(JSON.stringify(result));
            },
            (e: unknown) => {
              res.statusCode = isKlappeError(e) && e.kind === 'input' ? 400 : 500;
              res.setHeader('content-type', 'application/json');
              res.end(JSON.stringify(isKlappeError(e) ? e.toJSON() : { message: String(e) }));
            },
          );
        });
      },
    },
  ],
});
await server.listen();
if (values['info-file']) writeFileSync(values['info-file'], JSON.stringify({ port: Number(values.port), home, project }));
process.stdout.write(`audio editor host on http://127.0.0.1:${values.port}/ (project ${project})\n`);
