/**
 * Provenance benchmarks: an export with every provenance step vs the same
 * export without (same project, same run); C2PA signing of a ≥ 50 MB file vs
 * sha256 of it; peak memory of signing (a child process, maxRSS) vs reading
 * the same file in an otherwise identical child.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaStore } from '../engine/cache/media-store.js';
import { createProjectFromTemplate } from '../engine/model/templates.js';
import { exportProject } from '../engine/export/export-project.js';
import { runFfmpeg } from '../engine/media/run.js';
import { loadProject } from '../engine/model/project-file.js';
import { createLocalIdentity } from '../engine/provenance/identity.js';
import { FileKeyStore } from '../engine/provenance/key-store.js';
import { buildManifest } from '../engine/provenance/manifest.js';
import type { StoredIdentity } from '../engine/provenance/key-store.js';
import { signFileInWorker, type SignFileResult } from '../engine/provenance/sign-in-worker.js';
import { sha256File } from '../engine/util/hash.js';
import { childCpuFromTimes, makeTakes, medianMs, report } from './support.js';

const ROOT = join(import.meta.dirname, '..');

/** CPU seconds (user + sys, the process and all its children) of one `klappe` CLI run. */
function cliCpuSeconds(args: string[], env: Record<string, string>): number {
  const cmd = [process.execPath, join(ROOT, 'bin', 'klappe.mjs'), ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${cmd} >/dev/null || exit 9; times`], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`klappe ${args.join(' ')} failed: ${r.stderr}`);
  // `times`: the shell's own user/sys, then its children's (every process it waited for, and theirs)
  return childCpuFromTimes(r.stdout);
}

/** The sample project repeated until it lasts `frames` frames (new clip ids per copy). */
function lengthenProject(dir: string, frames: number): void {
  const file = join(dir, 'project.klappe');
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  for (const t of doc.sequence.tracks) {
    const clips: Array<{ id: string; recordStart: number; duration: number }> = t.clips;
    const end = Math.max(0, ...clips.map((c) => c.recordStart + c.duration));
    const copies = [];
    for (let k = 1; end > 0 && k * end < frames; k++)
      for (const c of clips)
        if (c.recordStart + k * end < frames)
          copies.push({
            ...c,
            id: `${c.id}-x${k}`,
            recordStart: c.recordStart + k * end,
            duration: Math.min(c.duration, frames - c.recordStart - k * end),
          });
    t.clips = [...clips, ...copies];
  }
  writeFileSync(file, JSON.stringify(doc, null, 2));
}

/**
 * CPU time (user + sys of the CLI and its ffmpeg children) of `klappe render`
 * with full provenance (visible + invisible watermark + C2PA) against the same
 * render with all three off, after one render that makes and caches the takes;
 * two pairs, medians.
 */
export async function benchProvenanceCpu(work: string): Promise<void> {
  const env = { KLAPPE_DATA_DIR: join(work, 'cpu-data'), KLAPPE_CONFIG_DIR: join(work, 'cpu-config') };
  const cases: Array<{ name: string; frames?: number; preset?: string }> = [
    { name: 'the sample (17 s, 1280x720)' },
    { name: 'a 2-minute 1920x1080 project', frames: 2880, preset: '1920x1080' },
  ];
  for (const c of cases) {
    const dir = join(work, `cpu-${c.frames ?? 'sample'}`);
    createProjectFromTemplate(dir, 'two-scenes');
    if (c.frames) lengthenProject(dir, c.frames);
    const out = join(work, 'cpu-out.mp4');
    const preset = c.preset ? ['--preset', c.preset] : [];
    cliCpuSeconds(['render', dir, '-o', out, '--force', ...preset, '--no-invisible-watermark'], env);
    const full: number[] = [];
    const plain: number[] = [];
    for (let i = 0; i < 2; i++) {
      full.push(cliCpuSeconds(['render', dir, '-o', out, '--force', ...preset], env));
      plain.push(
        cliCpuSeconds(['render', dir, '-o', out, '--force', ...preset, '--no-watermark', '--no-invisible-watermark', '--no-sign'], env),
      );
    }
    const median = (v: number[]) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    report({
      name: `CPU of an export with full provenance, ${c.name}`,
      value: median(full),
      unit: 's',
      baseline: { name: 'plain export (--no-watermark --no-invisible-watermark --no-sign)', value: median(plain) },
      note: `runs: full ${full.map((v) => v.toFixed(1)).join(', ')}; plain ${plain.map((v) => v.toFixed(1)).join(', ')}`,
    });
  }
}

export async function benchProvenance(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'klappe-bench-prov-'));
  try {
    await benchProvenanceCpu(work);
    const store = new MediaStore(join(work, 'media'));
    const keyStore = new FileKeyStore(join(work, 'identity'));
    const dir = join(work, 'demo');
    createProjectFromTemplate(dir, 'two-scenes');
    // 6 s of the sample at 1920x1080
    const file = join(dir, 'project.klappe');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    for (const t of doc.sequence.tracks) {
      t.clips = t.clips.filter((c: { recordStart: number }) => c.recordStart < 144);
      for (const c of t.clips) c.duration = Math.min(c.duration, 144 - c.recordStart);
    }
    writeFileSync(file, JSON.stringify(doc));
    const size = { width: 1920, height: 1080 };
    const off = { watermark: false, invisibleWatermark: false, sign: false };
    await makeTakes(dir, store, 'slate');
    await exportProject(loadProject(dir), join(work, 'warm.mp4'), { store, size, ...off });
    let n = 0;
    const plainMs = await medianMs(2, () => exportProject(loadProject(dir), join(work, `plain-${n++}.mp4`), { store, size, ...off }));
    let info: Awaited<ReturnType<typeof exportProject>>['provenance'] | undefined;
    const fullMs = await medianMs(2, async () => {
      info = (await exportProject(loadProject(dir), join(work, `full-${n++}.mp4`), { store, size, keyStore })).provenance;
    });
    report({
      name: 'export 6 s 1920x1080 with visible + invisible watermark + C2PA',
      value: fullMs,
      unit: 'ms',
      baseline: { name: 'same export, provenance off', value: plainMs },
      note: `watermark ${info?.watermarkMs} ms for ${info?.embeddedFrames} embedded frames, signing ${info?.signMs} ms`,
    });
    const visMs = await medianMs(2, () =>
      exportProject(loadProject(dir), join(work, `vis-${n++}.mp4`), { store, size, ...off, watermark: true }),
    );
    report({
      name: 'export with the visible watermark only',
      value: visMs,
      unit: 'ms',
      baseline: { name: 'provenance off', value: plainMs },
    });

    // a ≥ 50 MB MP4
    const big = join(work, 'big.mp4');
    await runFfmpeg([
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=1920x1080:r=24',
      '-t',
      '14',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-b:v',
      '40M',
      '-pix_fmt',
      'yuv420p',
      big,
    ]);
    const bytes = statSync(big).size;
    const mb = (bytes / 1e6).toFixed(0);
    const identity = await createLocalIdentity('Bench');
    keyStore.save(identity);
    const manifest = buildManifest({
      doc: loadProject(dir).doc,
      exportId: 0x12345678,
      title: 'big.mp4',
      visibleWatermark: true,
      invisibleWatermark: true,
    });
    const shaMs = await medianMs(3, () => sha256File(big));
    const target = join(work, 'big-signed.mp4');
    const signMs = await medianMs(3, async () => {
      copyFileSync(big, target);
      await signFileInWorker({ file: target, manifest, chainPem: identity.chainPem, keyPem: identity.keyPem });
    });
    report({
      name: `C2PA sign a ${mb} MB MP4 (worker, incl. read + write)`,
      value: signMs,
      unit: 'ms',
      baseline: { name: 'sha256 of the same file', value: shaMs },
    });
    await benchSigningRatio(big, target, manifest, identity);

    const job = join(work, 'job.json');
    writeFileSync(job, JSON.stringify({ file: target, manifest, chainPem: identity.chainPem, keyPem: identity.keyPem }));
    const child = (mode: string) => {
      copyFileSync(big, target);
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'run-ts.mjs'), join(ROOT, 'bench', 'provenance-sign-child.ts'), mode, job], {
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(r.stderr);
      return Number(r.stdout.trim());
    };
    const readOnly = child('read');
    const signing = child('sign');
    report({
      name: `peak memory of signing a ${mb} MB file (maxRSS)`,
      value: signing / 1024,
      unit: 'MB',
      baseline: { name: 'same process only reading the file', value: readOnly / 1024 },
      note: `${((signing - readOnly) / 1024 / (bytes / 1e6)).toFixed(1)}× the file size on top of reading it`,
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Signing time / `sha256sum` time of the same file (issue 14: ≤ 2): the warm signing worker,
 * the file copied to the target outside the timing; the fast path (skeleton signed by
 * c2pa-wasm, media hashed natively while copied) next to c2pa-wasm reading the whole file.
 */
export async function benchSigningRatio(
  big: string,
  target: string,
  manifest: Record<string, unknown>,
  identity: StoredIdentity,
): Promise<void> {
  const sum = spawnSync('sha256sum', [big]);
  const sumMs = sum.error ? undefined : await medianMs(5, () => spawnSync('sha256sum', [big]));
  const shaMs = sumMs ?? (await medianMs(5, () => sha256File(big)));
  const shaName = sumMs ? '`sha256sum` of the same file' : 'sha256 of the same file (no sha256sum here)';
  const timed = async (whole: boolean) => {
    const times: number[] = [];
    let last: SignFileResult | undefined;
    for (let i = 0; i < 4; i++) {
      copyFileSync(big, target);
      const t = performance.now();
      last = await signFileInWorker({ file: target, manifest, chainPem: identity.chainPem, keyPem: identity.keyPem, whole });
      if (i > 0) times.push(performance.now() - t); // the first run warms the worker (c2pa-wasm compiled and optimized)
    }
    times.sort((a, b) => a - b);
    return { ms: times[1]!, last: last! };
  };
  const mb = (statSync(big).size / 1e6).toFixed(0);
  const fast = await timed(false);
  const whole = await timed(true);
  const parts = (r: SignFileResult) =>
    Object.entries(r.timings)
      .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
      .join(', ');
  report({
    name: `signing time / sha256sum time, ${mb} MB MP4 (fast path, warm worker)`,
    value: fast.ms,
    unit: 'ms',
    baseline: { name: shaName, value: shaMs },
    note: `${fast.last.path}: ${parts(fast.last)}`,
  });
  const nodeShaMs = await medianMs(5, () => sha256File(big));
  report({
    name: `signing time / Node's sha256 (OpenSSL) of the same file, fast path`,
    value: fast.ms,
    unit: 'ms',
    baseline: { name: 'sha256File (streamed, native)', value: nodeShaMs },
  });
  report({
    name: `signing time, same file through c2pa-wasm whole (the way before)`,
    value: whole.ms,
    unit: 'ms',
    baseline: { name: shaName, value: shaMs },
    note: parts(whole.last),
  });
}
