import { resolve } from 'node:path';
import { exportLoudnessTarget, parseLoudnessTarget } from '../../audio/loudness.js';
import { sessionTakeMaker } from '../../api/session-jobs.js';
import { exportProject, type MakeMissingTakes } from '../../export/export-project.js';
import { parsePreset } from '../../common/export-presets.js';
import { probe, videoStream, audioStream } from '../../media/probe.js';
import { JobQueue } from '../../jobs/queue.js';
import { KlappeError } from '../../common/errors.js';
import type { LoadedProject } from '../../model/project-file.js';
import { SCHEMA_VERSION } from '../../model/schema.js';
import { sequenceDuration } from '../../model/lookup.js';
import { framesToSeconds } from '../../common/time.js';
import { signInThisThread } from '../../provenance/sign-in-worker.js';
import { parseFrameOrTimecode } from '../../render/range.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';
import { openProject, WAIT_HELP, WAIT_OPTION, type OpenedProject } from '../open-project.js';
import { createProgress } from '../progress.js';

export const renderCommand: CliCommand = {
  name: 'render',
  summary: 'render the sequence to an MP4 (H.264 + AAC), generating missing takes first',
  usage:
    'klappe render PROJECT -o OUT.mp4 [--preset 1920x1080] [--backend ID] [--loudness streaming|podcast|broadcast|off|-14] [--in FRAME|TIMECODE] [--out FRAME|TIMECODE] [--burn-captions] [--captions] [--no-watermark] [--no-invisible-watermark] [--no-sign] [--include-prompts] [--force]',
  details: [
    'Presets: 720x1280, 1280x720, 1080x1920, 1920x1080 (or 9:16-720p, 16:9-1080p, …), or any even WxH.',
    'Shots with no take are generated first with --backend (default: the embedded one) and saved in the project.',
    "When the project is open in a studio that serves it, the render uses the studio's document (unsaved edits included) and the studio makes the missing takes.",
    'The file is written to a temporary name and renamed when complete.',
    "--in and --out export only part of the sequence: --in is its first frame, --out the first frame left out (48 or 00:00:02:00 at the sequence's rate; either may be left out: the start or the end). The part has exactly those frames and samples; captions are shifted with it.",
    '--burn-captions draws the dialogue captions into the picture; --captions writes them as OUT.srt and OUT.vtt next to the video.',
    'Provenance is on by default: a visible moving watermark "Klappe · AI · <creator>", an invisible watermark carrying the export id, and a C2PA manifest signed with your identity (see `klappe identity show`).',
    "--no-watermark turns the visible watermark off; --no-invisible-watermark the invisible one; --no-sign the C2PA signature. --include-prompts puts the shots' prompts in the manifest.",
    'Check a file with `klappe verify FILE`.',
    "--loudness masters the sound to streaming (−14 LUFS), podcast (−16), broadcast (−23), a level in LUFS, or off, true peak ≤ −1 dBTP; the export measures itself and fails (writing nothing) when it misses by more than 0.5 LU. Without it, the project's saved choice (new projects: streaming).",
    WAIT_HELP,
  ],
  options: {
    output: { type: 'string', short: 'o' },
    preset: { type: 'string' },
    backend: { type: 'string' },
    force: { type: 'boolean', default: false },
    loudness: { type: 'string' },
    in: { type: 'string' },
    out: { type: 'string' },
    'burn-captions': { type: 'boolean', default: false },
    captions: { type: 'boolean', default: false },
    'no-watermark': { type: 'boolean', default: false },
    'no-invisible-watermark': { type: 'boolean', default: false },
    'no-sign': { type: 'boolean', default: false },
    'include-prompts': { type: 'boolean', default: false },
    ...WAIT_OPTION,
  },
  async run(parsed, io) {
    const projectPath = requirePositional(parsed, 0, 'PROJECT', this.usage);
    const outArg = stringOption(parsed, 'output') ?? parsed.positionals[1];
    const output = resolve(requirePositional({ ...parsed, positionals: outArg ? [outArg] : [] }, 0, '-o OUT.mp4', this.usage));
    const preset = stringOption(parsed, 'preset');
    const size = preset ? parsePreset(preset) : undefined;
    const loudnessArg = stringOption(parsed, 'loudness');
    const loudnessFlag =
      loudnessArg === undefined || loudnessArg.trim().toLowerCase() === 'off' ? undefined : parseLoudnessTarget(loudnessArg);
    const backendId = stringOption(parsed, 'backend');
    const progress = createProgress(io, parsed.json);
    const started = Date.now();
    // a one-shot command: sign here rather than boot a signing worker (about a second of CPU less)
    signInThisThread();
    // the project is held only while its snapshot is taken and its missing takes are made; the render itself needs no lock
    const project = await openProject(projectPath, parsed, io);
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        project.close();
      }
    };
    const snapshot = await projectSnapshot(project);
    // no flag: the loudness saved with the project (the export dialog's choice)
    const loudness = loudnessArg === undefined ? exportLoudnessTarget(snapshot.doc.exportLoudness) : loudnessFlag;
    const rate = snapshot.doc.sequence.rate;
    const inArg = stringOption(parsed, 'in');
    const outFlag = stringOption(parsed, 'out');
    const range = {
      ...(inArg !== undefined ? { in: parseFrameOrTimecode(inArg, rate, '--in') } : {}),
      ...(outFlag !== undefined ? { out: parseFrameOrTimecode(outFlag, rate, '--out') } : {}),
    };
    const makeMissingTakes: MakeMissingTakes = async (shotIds, ctx) => {
      const made = await missingTakesVia(project, backendId)(shotIds, ctx);
      release();
      return made;
    };
    let result: Awaited<ReturnType<typeof exportProject>>;
    try {
      result = await exportProject(snapshot, output, {
        size,
        force: parsed.values.force === true,
        makeMissingTakes,
        onStage: (s) => {
          if (s === 'rendering') release();
          progress.stage(s);
        },
        signal: io.signal,
        loudness,
        range,
        rangeFields: { in: '--in', out: '--out' },
        burnCaptions: parsed.values['burn-captions'] === true,
        captionFiles: parsed.values.captions === true,
        watermark: parsed.values['no-watermark'] !== true,
        invisibleWatermark: parsed.values['no-invisible-watermark'] !== true,
        sign: parsed.values['no-sign'] !== true,
        includePrompts: parsed.values['include-prompts'] === true,
        onProgress: (p) => progress.update(p.fraction, p.etaSeconds),
      });
    } finally {
      release();
    }
    progress.done();
    const p = await probe(output);
    const seconds = framesToSeconds(result.plan.frames, result.plan.rate);
    const summary = {
      ok: true,
      output,
      frames: result.plan.frames,
      range: result.range,
      durationSeconds: Number(seconds.toFixed(3)),
      probedDurationSeconds: Number(Number(p.format.duration ?? 0).toFixed(3)),
      size: `${result.plan.width}x${result.plan.height}`,
      video: videoStream(p)?.codec_name,
      audio: audioStream(p)?.codec_name,
      generatedShots: result.generated,
      provenance: result.provenance,
      elapsedSeconds: Number(((Date.now() - started) / 1000).toFixed(2)),
      ...(result.captions ? { captions: result.captions } : {}),
      measuredLoudness: result.measured,
      ...(result.loudness
        ? {
            loudness: {
              targetLufs: result.loudness.target,
              integrated: result.loudness.integrated,
              range: result.loudness.range,
              truePeak: result.loudness.truePeak,
              passes: result.loudness.passes,
              ...(result.loudness.silent ? { silent: true } : {}),
            },
          }
        : {}),
    };
    if (parsed.json) io.out(JSON.stringify(summary, null, 2));
    else
      io.out(
        `Rendered ${output}: ${summary.size}, ${summary.frames} frames${result.range.in > 0 || result.range.out < sequenceDuration(result.doc) ? ` (frames ${result.range.in}–${result.range.out} of the sequence)` : ''} (${summary.durationSeconds} s), ${summary.video}+${summary.audio} in ${summary.elapsedSeconds} s${summary.loudness ? `; ${summary.loudness.integrated} LUFS (target ${summary.loudness.targetLufs}${result.loudness?.silent ? ': not applied, the sound is silent or shorter than the 0.4 s a loudness measurement needs' : ''}), true peak ${summary.loudness.truePeak} dBTP` : `; ${result.measured.integrated} LUFS as mixed (no target), true peak ${result.measured.truePeak} dBTP`}`,
      );
    const pv = result.provenance;
    if (!parsed.json && result.captions) io.out(`Captions: ${result.captions.join(', ')}`);
    if (!parsed.json)
      io.out(
        `Provenance: visible watermark ${pv.visibleWatermark ? 'on' : 'off'}; invisible watermark ${pv.invisibleWatermark ? `export ${pv.exportId}` : 'off'}; C2PA ${pv.signed ? `signed by ${pv.signer}` : 'not signed'}`,
      );
    return 0;
  },
};

/** The document to render: the open session's, or the owner's as it is now (unsaved edits included). */
async function projectSnapshot(project: OpenedProject): Promise<LoadedProject> {
  if (project.kind === 'local') return { doc: project.session.doc, file: project.file, dir: project.dir, migratedFrom: SCHEMA_VERSION };
  const state = await project.client.call('project.get');
  if (!state || state.file !== project.file)
    throw new KlappeError({
      code: 'OWNER_CHANGED',
      message: `${project.file} is no longer open in ${project.owner.command} (pid ${project.owner.pid})`,
      hint: 'Run the command again.',
    });
  return { doc: state.doc, file: project.file, dir: project.dir, migratedFrom: SCHEMA_VERSION };
}

/** Missing takes: made by this process's session (and saved), or by the owner's queue (it keeps them; save there). */
function missingTakesVia(project: OpenedProject, backendId: string | undefined): MakeMissingTakes {
  if (project.kind === 'local') {
    const make = sessionTakeMaker(project.session, { backendId });
    return async (shotIds, ctx) => {
      const made = await make(shotIds, ctx);
      project.session.save();
      return made;
    };
  }
  return async (shotIds, ctx) => {
    const { client } = project;
    const { jobIds } = await client.call('generate.enqueue', { shotIds, ...(backendId ? { backend: backendId } : {}) });
    const progress = new Map<string, number>();
    const off = client.on('job.progress', (j) => {
      if (!jobIds.includes(j.id)) return;
      progress.set(j.id, j.progress);
      ctx.onProgress([...progress.values()].reduce((a, b) => a + b, 0) / jobIds.length);
    });
    const onAbort = () => {
      for (const id of jobIds) void client.call('generate.cancel', { jobId: id }).catch(() => {});
    };
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    const queue = new JobQueue();
    try {
      const jobs = await queue.waitFor(jobIds);
      const bad = jobs.find((j) => j.state !== 'succeeded');
      if (bad)
        throw new KlappeError({
          code: bad.error?.code ?? 'GENERATION_FAILED',
          message: `shot ${bad.shotId} could not be generated: ${bad.error?.message ?? bad.state}`,
          kind: bad.state === 'cancelled' ? 'cancelled' : 'runtime',
          hint: bad.error?.hint,
        });
      const snapshot = await projectSnapshot(project);
      return { doc: snapshot.doc, generated: jobs.filter((j) => !j.fromCache).map((j) => j.shotId) };
    } finally {
      off();
      ctx.signal?.removeEventListener('abort', onAbort);
      await queue.stop();
    }
  };
}
