/**
 * Provenance for one export, in the order the export needs it:
 *  start()   — before anything is generated or rendered: load and check the
 *              signing identity (a bad or expired certificate stops here);
 *  prepare() — with the render plan: visible watermark filter, invisible
 *              watermark residuals, and the `finish` step that signs the
 *              finished temp file in a worker (a failed signing leaves no output)
 *              with every take of the cut as an ingredient carrying the take's
 *              own manifest, and keeps the manifest in the local manifest store.
 */
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type { MediaStore } from '../cache/media-store.js';
import { defaultManifestStoreDir, ManifestStore } from '../cache/manifest-store.js';
import { resolveMediaPath } from '../model/project-file.js';
import type { GraphHooks } from '../render/ffmpeg-graph.js';
import type { RenderPlan } from '../render/plan.js';
import type { Project } from '../model/schema.js';
import { loadSigningIdentity, type SigningIdentity } from './identity.js';
import { joinHooks, prepareInvisibleWatermark } from './invisible-watermark.js';
import type { KeyStore } from './key-store.js';
import { hasC2paBox } from './bmff.js';
import { buildManifest, checkExtraAssertions, importedMedia, takeIngredientId, takesInSequence, type ExtraAssertion } from './manifest.js';
import { formatExportId, makeExportId } from './payload-code.js';
import { signFileInWorker, warmSigningWorker, type IngredientFile } from './sign-in-worker.js';
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
  /**
   * Folder of the local manifest store that keeps every signed export's manifest, keyed by the
   * watermark's export id and the file's sha256 (default `<data>/manifests`); false keeps none.
   */
  manifestStore?: string | false;
  /**
   * More assertions for the export's C2PA manifest, signed with the rest: e.g. the cameos that
   * appear and that their grants were valid at export time. Labels in your own namespace
   * (`app.klappe.cameos`); see ExtraAssertion. `ExportProvenance.addAssertion` adds one later.
   */
  extraAssertions?: ExtraAssertion[];
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
  /** Takes in the cut listed as ingredients; how many brought their own manifest. */
  ingredients?: { takes: number; withManifest: number };
  /** Where the export's manifest was kept (manifest store file). */
  manifestStore?: string;
}

/** Where the files behind the cut are: the media cache (takes) and the project folder (imported media). */
export interface ProvenanceMedia {
  store: MediaStore;
  dir: string;
}

export interface PreparedProvenance {
  hooks: GraphHooks;
  finish?: (tempFile: string) => Promise<void>;
  cleanup: () => void;
}

export class ExportProvenance {
  readonly info: ProvenanceInfo;
  private constructor(
    readonly opts: Required<Omit<ProvenanceOptions, 'keyStore' | 'extraAssertions'>>,
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

  private readonly extra: ExtraAssertion[] = [];

  static async start(doc: Project, opts: ProvenanceOptions = {}): Promise<ExportProvenance> {
    const o = {
      watermark: opts.watermark ?? true,
      invisibleWatermark: opts.invisibleWatermark ?? true,
      sign: opts.sign ?? true,
      includePrompts: opts.includePrompts ?? false,
      manifestStore: opts.manifestStore ?? defaultManifestStoreDir(),
    };
    checkExtraAssertions(opts.extraAssertions ?? []);
    const identity = o.sign ? await loadSigningIdentity({ store: opts.keyStore, creatorName: doc.creator.name }) : undefined;
    // the signing worker starts while the export renders
    if (identity) warmSigningWorker();
    const p = new ExportProvenance(o, makeExportId(randomBytes(3).readUIntBE(0, 3)), identity);
    p.extra.push(...(opts.extraAssertions ?? []));
    return p;
  }

  /** Adds an assertion to the export's manifest (before the render finishes); see ExtraAssertion. */
  addAssertion(a: ExtraAssertion): void {
    checkExtraAssertions([...this.extra, a]);
    this.extra.push(a);
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
      /** Where the takes and imported media are, so each becomes an ingredient with its own manifest. */
      media?: ProvenanceMedia;
      /** Pixels from the bottom the visible watermark keeps clear of (burned captions). */
      clearBottom?: number;
    },
  ): Promise<PreparedProvenance> {
    let hooks = joinHooks(base ?? {});
    if (this.opts.watermark)
      hooks = joinHooks(hooks, {
        video: [
          visibleWatermarkFilter(
            visibleMarkLayout(plan.width, plan.height, plan.frames, doc.creator.name, { clearBottom: run.clearBottom }),
          ),
        ],
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
              extraAssertions: this.extra,
            });
            const ingredientFiles = run.media ? this.signedIngredients(doc, manifest, run.media) : [];
            const storeDir = this.opts.manifestStore;
            const r = await signFileInWorker(
              {
                file: tmp,
                manifest,
                chainPem: identity.stored.chainPem,
                keyPem: identity.stored.keyPem,
                ingredientFiles,
              },
              { signal: run.signal },
            );
            this.info.signed = true;
            this.info.signMs = Math.round(r.ms);
            const takes = takesInSequence(doc).length;
            this.info.ingredients = {
              takes,
              withManifest: ingredientFiles.filter((i) => String(i.json.instance_id).startsWith('take-')).length,
            };
            if (storeDir !== false) {
              const store = new ManifestStore(storeDir);
              try {
                store.put({
                  exportId: this.info.exportId,
                  contentHash: r.contentHash,
                  manifest: r.manifest,
                  title: basename(output),
                  ...(this.info.signer ? { signer: this.info.signer } : {}),
                  createdAt: Date.now(),
                });
              } finally {
                store.close();
              }
              this.info.manifestStore = store.file;
            }
          }
        : undefined;
    return { hooks, finish, cleanup };
  }

  /**
   * Ingredients whose file carries a C2PA manifest (signed takes, a cloud take signed by its
   * generator, an imported file signed by its maker): taken out of the manifest definition and
   * handed to the builder with their file, so each brings its own manifest along.
   */
  private signedIngredients(doc: Project, manifest: Record<string, unknown>, media: ProvenanceMedia): IngredientFile[] {
    const files = new Map<string, string>();
    for (const t of takesInSequence(doc))
      if (t.media.video && media.store.has(t.media.video)) files.set(takeIngredientId(t.id), media.store.pathFor(t.media.video));
    importedMedia(doc).forEach((m, i) => files.set(`ingredient-${i}`, resolveMediaPath(media.dir, m.path)));
    const list = (manifest.ingredients ?? []) as Array<Record<string, unknown>>;
    const out: IngredientFile[] = [];
    manifest.ingredients = list.filter((ing) => {
      const file = files.get(String(ing.instance_id));
      if (!file || !hasC2paBox(file)) return true;
      out.push({ json: ing, file, format: String(ing.format ?? 'video/mp4') });
      return false;
    });
    return out;
  }
}
