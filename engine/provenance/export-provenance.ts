/**
 * Provenance for one export, in the order the export needs it:
 *  start()   — before anything is generated or rendered: load and check the
 *              signing identity (a bad or expired certificate stops here);
 *  prepare() — with the render plan: visible watermark filter, invisible
 *              watermark residuals, and the `finish` step that signs the
 *              finished temp file in a worker (a failed signing leaves no output).
 */
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type { GraphHooks } from '../render/ffmpeg-graph.js';
import type { RenderPlan } from '../render/plan.js';
import type { Project } from '../model/schema.js';
import { loadSigningIdentity, type SigningIdentity } from './identity.js';
import { joinHooks, prepareInvisibleWatermark } from './invisible-watermark.js';
import type { KeyStore } from './key-store.js';
import { buildManifest } from './manifest.js';
import { formatExportId, makeExportId } from './payload-code.js';
import { signFileInWorker } from './sign-in-worker.js';
import { visibleMarkLayout, visibleWatermarkFilter } from './visible-watermark.js';

export interface ProvenanceOptions {
  /** Visible moving watermark "Klappe · AI · <creator>" (default on). */
  watermark?: boolean;
  /** Invisible RivaGAN watermark carrying the export id (default on). */
  invisibleWatermark?: boolean;
  /** C2PA manifest signed with the user's identity (default on). */
  sign?: boolean;
  /** Put the shots' prompts in the manifest (default off). */
  includePrompts?: boolean;
  /** Where the signing identity lives (default: the config folder). */
  keyStore?: KeyStore;
  /** More assertions for the manifest (the cameos an export shows and their grants: engine/cameo). */
  extraAssertions?: Array<{ label: string; data: Record<string, unknown> }>;
}

/** Frames smaller than this (short side) are too small to carry the invisible watermark. */
export const MIN_INVISIBLE_SIDE = 240;

export interface ProvenanceInfo {
  /** Why a step asked for was skipped. */
  note?: string;
  exportId: string;
  visibleWatermark: boolean;
  invisibleWatermark: boolean;
  embeddedFrames?: number;
  signed: boolean;
  signer?: string;
  signMs?: number;
  watermarkMs?: number;
}

export interface PreparedProvenance {
  hooks: GraphHooks;
  finish?: (tempFile: string) => Promise<void>;
  cleanup: () => void;
}

export class ExportProvenance {
  readonly info: ProvenanceInfo;
  private constructor(
    readonly opts: Required<Omit<ProvenanceOptions, 'keyStore' | 'extraAssertions'>> & Pick<ProvenanceOptions, 'extraAssertions'>,
    readonly exportId: number,
    readonly identity?: SigningIdentity,
  ) {
    this.info = {
      exportId: formatExportId(exportId),
      visibleWatermark: opts.watermark,
      invisibleWatermark: opts.invisibleWatermark,
      signed: false,
      ...(identity ? { signer: identity.chain[0]!.subject } : {}),
    };
  }

  static async start(doc: Project, opts: ProvenanceOptions = {}): Promise<ExportProvenance> {
    const o = {
      watermark: opts.watermark ?? true,
      invisibleWatermark: opts.invisibleWatermark ?? true,
      sign: opts.sign ?? true,
      includePrompts: opts.includePrompts ?? false,
      ...(opts.extraAssertions?.length ? { extraAssertions: opts.extraAssertions } : {}),
    };
    const identity = o.sign ? await loadSigningIdentity({ store: opts.keyStore, creatorName: doc.creator.name }) : undefined;
    return new ExportProvenance(o, makeExportId(randomBytes(3).readUIntBE(0, 3)), identity);
  }

  /** Share of the render's progress the invisible watermark takes (it runs before the encode). */
  renderShare(plan: RenderPlan): number {
    return this.opts.invisibleWatermark && Math.min(plan.width, plan.height) >= MIN_INVISIBLE_SIDE ? 0.5 : 0;
  }

  async prepare(
    doc: Project,
    plan: RenderPlan,
    output: string,
    base: GraphHooks | undefined,
    run: {
      signal?: AbortSignal;
      onStage?: (s: string) => void;
      onProgress?: (fraction: number) => void;
      finish?: (f: string) => Promise<void>;
    },
  ): Promise<PreparedProvenance> {
    let hooks = joinHooks(base ?? {});
    if (this.opts.watermark)
      hooks = joinHooks(hooks, {
        video: [visibleWatermarkFilter(visibleMarkLayout(plan.width, plan.height, plan.frames, doc.creator.name))],
      });
    let cleanup = () => {};
    if (this.opts.invisibleWatermark && Math.min(plan.width, plan.height) < MIN_INVISIBLE_SIDE) {
      this.opts.invisibleWatermark = false;
      this.info.invisibleWatermark = false;
      this.info.note = `no invisible watermark: ${plan.width}x${plan.height} is below ${MIN_INVISIBLE_SIDE} px on its short side`;
    }
    if (this.opts.invisibleWatermark) {
      const t = performance.now();
      const wm = await prepareInvisibleWatermark(plan, this.exportId, hooks, { signal: run.signal, onProgress: run.onProgress });
      this.info.watermarkMs = Math.round(performance.now() - t);
      this.info.embeddedFrames = wm.embeddedFrames;
      hooks = joinHooks(hooks, wm.hooks);
      cleanup = wm.cleanup;
    }
    const identity = this.identity;
    const earlier = run.finish;
    const finish =
      identity || earlier
        ? async (tmp: string) => {
            await earlier?.(tmp);
            if (!identity) return;
            run.onStage?.('signing (C2PA)');
            const manifest = buildManifest({
              doc,
              exportId: this.exportId,
              title: basename(output),
              includePrompts: this.opts.includePrompts,
              visibleWatermark: this.opts.watermark,
              invisibleWatermark: this.opts.invisibleWatermark,
              ...(this.opts.extraAssertions ? { extraAssertions: this.opts.extraAssertions } : {}),
            });
            const r = await signFileInWorker(
              { file: tmp, manifest, chainPem: identity.stored.chainPem, keyPem: identity.stored.keyPem },
              { signal: run.signal },
            );
            this.info.signed = true;
            this.info.signMs = Math.round(r.ms);
          }
        : undefined;
    return { hooks, finish, cleanup };
  }
}
