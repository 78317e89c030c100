/**
 * Runs exports for the studio: the engine's exportProject with progress and
 * ETA as events, cancel, and afterwards a check of the finished file (ffprobe:
 * it has the expected size, a video stream and sound, and a duration).
 */
import { mkdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { MediaStore } from '../cache/media-store.js';
import { inputError, isKlappeError } from '../common/errors.js';
import { exportProject } from '../export/export-project.js';
import type { ConsentContext } from '../cameo/consent-check.js';
import { audioStream, probe, videoStream } from '../media/probe.js';
import { SCHEMA_VERSION, type Project } from '../model/schema.js';
import type { ProvenanceOptions } from '../provenance/export-provenance.js';
import { verifyFile } from '../provenance/verify.js';
import { LruCache } from '../util/lru-cache.js';
import { EXPORT_PRESETS, type ExportInfo, type ExportPresetId, type ExportVerification } from './contract.js';

export interface ExportHost {
  onProgress(info: ExportInfo): void;
  onDone(info: ExportInfo): void;
}

export class ExportRunner {
  private readonly controllers = new Map<string, AbortController>();
  /** Recent exports' info (what cancel answers with); the oldest finished ones go. */
  private readonly exports = new LruCache<string, ExportInfo>({ maxEntries: 100 });
  private next = 1;

  constructor(
    private readonly store: MediaStore,
    private readonly host: ExportHost,
  ) {}

  /**
   * `prepare` makes the takes the sequence still lacks (through the studio's
   * queue, so they land in the open document) and returns the document to export.
   */
  start(
    session: { doc: Project; dir: string; file: string },
    preset: ExportPresetId,
    output: string | undefined,
    prepare: (signal: AbortSignal) => Promise<Project>,
    options: ProvenanceOptions & {
      loudness?: number;
      burnCaptions?: boolean;
      captionFiles?: boolean;
      cameoConsent?: ConsentContext;
      range?: { in?: number; out?: number };
    } = {},
  ): ExportInfo {
    const size = EXPORT_PRESETS[preset];
    const out = output ?? defaultOutput(session.dir, session.doc.name, preset);
    mkdirSync(join(out, '..'), { recursive: true });
    const info: ExportInfo = { id: `export-${this.next++}`, output: out, preset, status: 'running', progress: 0, stage: 'starting' };
    const controller = new AbortController();
    this.controllers.set(info.id, controller);
    this.exports.set(info.id, info);
    let lastSent = 0;
    info.stage = 'generating missing takes';
    prepare(controller.signal)
      .then((doc) =>
        exportProject({ doc, dir: session.dir, file: session.file, migratedFrom: SCHEMA_VERSION }, out, {
          size: { width: size.width, height: size.height },
          ...options,
          store: this.store,
          signal: controller.signal,
          onStage: (stage) => {
            info.stage = stage;
            this.host.onProgress(info);
          },
          onProgress: (p) => {
            info.progress = p.stage === 'render' ? 0.1 + p.fraction * 0.85 : p.fraction * 0.1;
            info.etaSeconds = p.etaSeconds === undefined ? undefined : Math.round(p.etaSeconds);
            if (Date.now() - lastSent > 100) {
              lastSent = Date.now();
              this.host.onProgress(info);
            }
          },
        }),
      )
      .then(
        async (result) => {
          if (result.captions) info.captions = result.captions;
          info.range = result.range;
          info.stage = 'verifying';
          this.host.onProgress(info);
          info.verification = await verifyExport(out, size);
          // measured on the file by the export (the master's own reading when it had a target)
          if (info.verification.audioCodec)
            info.verification.loudness = {
              integrated: result.measured.integrated,
              truePeak: result.measured.truePeak,
              ...(options.loudness === undefined ? {} : { target: options.loudness }),
            };
          if (options.sign !== false || options.invisibleWatermark !== false) {
            try {
              info.verification.provenance = (await verifyFile(out, { watermark: options.invisibleWatermark !== false })).summary;
            } catch (e) {
              info.verification.provenance = `could not verify: ${(e as Error).message}`;
            }
          }
          Object.assign(info, { status: 'done', progress: 1, etaSeconds: undefined, stage: undefined });
          this.host.onDone(info);
        },
        (e: unknown) => {
          const cancelled = controller.signal.aborted;
          Object.assign(info, {
            status: cancelled ? 'cancelled' : 'failed',
            etaSeconds: undefined,
            stage: undefined,
            ...(cancelled
              ? {}
              : {
                  error: isKlappeError(e)
                    ? { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) }
                    : { code: 'INTERNAL', message: String((e as Error)?.message ?? e) },
                }),
          });
          this.host.onDone(info);
        },
      )
      .finally(() => this.controllers.delete(info.id));
    return info;
  }

  cancel(exportId: string): ExportInfo | undefined {
    this.controllers.get(exportId)?.abort();
    return this.exports.get(exportId);
  }
}

export function defaultOutput(dir: string, name: string, preset: ExportPresetId): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'export';
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  return join(dir, 'exports', `${slug}-${preset.replace(':', 'x')}-${stamp}.mp4`);
}

/**
 * The file an export writes: `output` as given, else `fileName` (".mp4" added
 * when it has no extension) in `folder` (relative to the project folder),
 * each defaulting to the part of `fallback` (defaultOutput) it replaces.
 */
export function exportOutputPath(projectDir: string, fallback: string, o: { output?: string; folder?: string; fileName?: string }): string {
  if (o.output) return o.output;
  const name = o.fileName?.trim();
  if (name !== undefined && name !== '') {
    if (/[\\/]/.test(name) || name === '.' || name === '..')
      throw inputError('BAD_FILE_NAME', `export file name "${name}" contains a folder`, {
        path: 'params.fileName',
        hint: 'Give the folder in the Folder field and only the name here.',
      });
    if (/[<>:"|?*]/.test(name) || [...name].some((ch) => ch.charCodeAt(0) < 0x20))
      throw inputError('BAD_FILE_NAME', `export file name "${name}" has characters a file name cannot have`, {
        path: 'params.fileName',
        hint: 'Use letters, digits, spaces, "-", "_" and ".".',
      });
  }
  const file = name ? (/\.[a-z0-9]{2,4}$/i.test(name) ? name : `${name}.mp4`) : basename(fallback);
  const folder = o.folder?.trim() ? (isAbsolute(o.folder.trim()) ? o.folder.trim() : join(projectDir, o.folder.trim())) : dirname(fallback);
  return join(folder, file);
}

export async function verifyExport(file: string, expected: { width: number; height: number }): Promise<ExportVerification> {
  const p = await probe(file);
  const v = videoStream(p);
  const a = audioStream(p);
  const problems: string[] = [];
  if (!v) problems.push('no video stream');
  else if (v.width !== expected.width || v.height !== expected.height)
    problems.push(`picture is ${v.width}x${v.height}, expected ${expected.width}x${expected.height}`);
  if (!a) problems.push('no audio stream');
  const durationSeconds = Number(p.format.duration ?? v?.duration ?? 0);
  if (!(durationSeconds > 0)) problems.push('duration is zero');
  return {
    ok: problems.length === 0,
    durationSeconds,
    width: v?.width ?? 0,
    height: v?.height ?? 0,
    videoCodec: v?.codec_name ?? '',
    ...(a ? { audioCodec: a.codec_name } : {}),
    bytes: statSync(file).size,
    problems,
  };
}
