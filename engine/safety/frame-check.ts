/**
 * The pre-export frame check: the video files an export uses are sampled (the
 * policy's `frames.fps`), faces are embedded and matched against the
 * registered cameos (likeness.ts). A cameo's face with no grant for the
 * exporting identity is `frames.cameoWithoutGrant` (block in the strict
 * default); faces that match no cameo are `frames.unknownFace` (reported).
 * Every file gets a decision-log entry; so do the categories with no local
 * image model (sexual content, minors, violence…), which say they were not
 * checked in frames instead of pretending. A block is SAFETY_BLOCKED.
 */
import { KlappeError } from '../common/errors.js';
import { EMBEDDING_MODEL_ID } from '../vision/face-models.js';
import { DecisionLog } from './decision-log.js';
import { matchLikeness, type LikenessOptions, type LikenessReport, type RegisteredLikeness } from './likeness.js';
import { worst } from './moderate.js';
import { loadPolicy, type Outcome, type Policy } from './policy.js';

/** A registered cameo as the frame check needs it: its embedding, and whether the exporting identity may show it. */
export interface KnownLikeness extends RegisteredLikeness {
  granted: boolean;
}

export interface FrameCheckOptions {
  policy?: Policy;
  log?: DecisionLog;
  /** Registered cameos with their grant state (engine/cameo); none = only unknown faces are reported. */
  likenesses?: readonly KnownLikeness[];
  /** Where (the export's output, the project). */
  ref?: string;
  /** What is checked, for the refusal ("the export", "the new take of shot 1/2"). */
  what?: string;
  signal?: AbortSignal;
  /** The matcher (default: likeness.ts on the file). */
  match?: (file: string, registered: readonly RegisteredLikeness[], options: LikenessOptions) => Promise<LikenessReport>;
}

export interface FileFrameCheck {
  file: string;
  outcome: Outcome;
  report: LikenessReport;
  /** Cameos seen without a grant. */
  ungranted: Array<{ id: string; name: string; similarity: number; timesMs: number[] }>;
}

export interface FrameCheckResult {
  outcome: Outcome;
  files: FileFrameCheck[];
  framesSampled: number;
  /** Length of video checked (frames sampled ÷ fps). */
  videoSeconds: number;
  elapsedMs: number;
}

const CHECKER = `faces: YuNet + ${EMBEDDING_MODEL_ID}`;

export async function checkFramesBeforeExport(files: readonly string[], opts: FrameCheckOptions = {}): Promise<FrameCheckResult> {
  const policy = opts.policy ?? loadPolicy();
  const log = opts.log ?? new DecisionLog();
  const frames = policy.file.frames;
  const likenesses = opts.likenesses ?? [];
  const match = opts.match ?? matchLikeness;
  const t0 = performance.now();
  const out: FileFrameCheck[] = [];
  for (const file of [...new Set(files)]) {
    if (opts.signal?.aborted) break;
    const report = await match(file, likenesses, { fps: frames.fps, ...(opts.signal ? { signal: opts.signal } : {}) });
    const ungranted = report.matches
      .filter((m) => !likenesses.find((l) => l.id === m.id)?.granted)
      .map((m) => ({ id: m.id, name: m.name, similarity: m.similarity, timesMs: m.timesMs }));
    let outcome: Outcome = 'allow';
    if (ungranted.length) outcome = worst(outcome, frames.cameoWithoutGrant);
    if (report.unknown.length) outcome = worst(outcome, frames.unknownFace);
    const granted = report.matches.filter((m) => !ungranted.some((u) => u.id === m.id));
    const parts = [
      `${report.framesSampled} frames at ${frames.fps}/s, ${report.facesFound} faces`,
      ...ungranted.map((u) => `${u.name} (cameo) without a grant at ${seconds(u.timesMs)} (similarity ${u.similarity.toFixed(2)})`),
      ...granted.map((m) => `${m.name} (cameo) with a grant`),
      ...(report.unknown.length
        ? [`${report.unknown.length} face${report.unknown.length > 1 ? 's' : ''} matching no cameo (${frames.unknownFace})`]
        : []),
    ];
    const best = Math.max(0, ...report.matches.map((m) => m.similarity), ...report.unknown.map((u) => u.bestSimilarity));
    log.record({
      subject: 'frames',
      ...(opts.ref ? { ref: opts.ref } : {}),
      excerpt: file,
      checker: `${CHECKER} (threshold ${report.threshold})`,
      ...(ungranted.length
        ? { rule: 'likeness.frames.cameo-without-grant', category: 'likeness' }
        : report.unknown.length
          ? { rule: 'likeness.frames.unknown-face', category: 'likeness' }
          : {}),
      score: Math.round(best * 1000) / 1000,
      outcome,
      reason: parts.join('; '),
      policyVersion: policy.version,
    });
    out.push({ file, outcome, report, ungranted });
  }
  if (frames.unchecked.length)
    log.record({
      subject: 'frames',
      ...(opts.ref ? { ref: opts.ref } : {}),
      excerpt: `${out.length} video file${out.length === 1 ? '' : 's'}`,
      checker: 'none: no local image model',
      rule: 'frames.unchecked',
      outcome: 'allow',
      reason: `not checked in frames (no local image model): ${frames.unchecked.map((c) => policy.file.categories[c].label).join(', ')}; prompts and dialogue were checked before generation`,
      policyVersion: policy.version,
    });
  const framesSampled = out.reduce((n, f) => n + f.report.framesSampled, 0);
  const result: FrameCheckResult = {
    outcome: out.reduce<Outcome>((o, f) => worst(o, f.outcome), 'allow'),
    files: out,
    framesSampled,
    videoSeconds: framesSampled / frames.fps,
    elapsedMs: Math.round(performance.now() - t0),
  };
  if (result.outcome === 'block') {
    const f = out.find((x) => x.outcome === 'block')!;
    const u = f.ungranted[0];
    throw new KlappeError({
      code: 'SAFETY_BLOCKED',
      kind: 'input',
      message: u
        ? `${opts.what ?? 'the export'} shows ${u.name} (a registered cameo) without a grant, at ${seconds(u.timesMs)} of ${f.file} (rule likeness.frames.cameo-without-grant)`
        : `${opts.what ?? 'the export'} shows a face that matches no cameo in ${f.file} (rule likeness.frames.unknown-face)`,
      file: f.file,
      hint: u
        ? `Ask ${u.name}'s owner for a grant (klappe cameo), or take the shot out of the sequence. ${policy.file.categories.likeness.proceed}`
        : policy.file.categories.likeness.proceed,
    });
  }
  return result;
}

function seconds(timesMs: readonly number[]): string {
  const s = timesMs.slice(0, 4).map((t) => `${(t / 1000).toFixed(1)} s`);
  return timesMs.length > 4 ? `${s.join(', ')}…` : s.join(', ');
}
