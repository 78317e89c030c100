/**
 * `klappe models import DIR`: adopts a folder of ONNX graphs the user
 * converted. Every graph's inputs and outputs are checked against the layout
 * (pack-layouts.ts) before anything is written; then the files are linked (or
 * copied, across file systems) into a staging folder of the local model
 * folder, hashed, the manifest written, and the folder moved into place with
 * one rename. The user's folder is left as it was.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { inputError } from '../common/errors.js';
import { fsyncDir } from '../util/atomic-file.js';
import { sha256File } from '../util/hash.js';
import { readGraphSignature, type GraphSignature } from './onnx-signature.js';
import { LAYOUTS, checkGraph, checkWanGraphs, type PackLayout } from './pack-layouts.js';
import {
  PACK_MANIFEST,
  PIPELINE_KINDS,
  writePackManifest,
  type FileRole,
  type PackFile,
  type PackLatent,
  type PackManifest,
  type PackMemory,
  type PipelineKind,
} from './pack-manifest.js';

export interface ImportOptions {
  root: string;
  kind?: PipelineKind;
  id?: string;
  version?: string;
  licence?: string;
  /** Overrides of the latent space the graphs imply (a converter that changed the VAE's scales). */
  latent?: Partial<PackLatent>;
  force?: boolean;
  onProgress?: (done: number, total: number, file: string) => void;
}

export interface ImportResult {
  manifest: PackManifest;
  dir: string;
  signatures: Record<string, GraphSignature>;
}

/** Which layout a folder has, from the files it holds. */
export function detectLayout(dir: string): PipelineKind | undefined {
  for (const kind of PIPELINE_KINDS)
    if (LAYOUTS[kind].graphs.filter((g) => !g.optional).every((g) => g.paths.some((p) => existsSync(join(dir, p))))) return kind;
  return undefined;
}

/** Checks every graph of `dir` against the layout; the signatures by graph name, and the graph paths. */
export function checkFolder(
  dir: string,
  layout: PackLayout,
): { sigs: Map<string, { file: string; sig: GraphSignature }>; latent?: PackLatent } {
  const sigs = new Map<string, { file: string; sig: GraphSignature }>();
  for (const rule of layout.graphs) {
    const path = rule.paths.find((p) => existsSync(join(dir, p)));
    if (!path) {
      if (rule.optional) continue;
      throw inputError('PACK_GRAPH_MISSING', `${dir} has no ${rule.graph} graph (${rule.paths.join(' or ')})`, {
        file: join(dir, rule.paths[0]!),
        path: rule.graph,
        hint: `A ${layout.kind} folder holds ${layout.graphs
          .filter((g) => !g.optional)
          .map((g) => g.paths[0])
          .join(', ')}.`,
      });
    }
    const file = join(dir, path);
    const sig = readGraphSignature(file);
    checkGraph(file, rule, sig);
    sigs.set(rule.graph, { file: path, sig });
  }
  for (const folder of layout.folders ?? []) {
    const d = join(dir, folder.path);
    const ok = existsSync(d) && (!folder.anyOf || folder.anyOf.some((f) => existsSync(join(d, f))));
    if (!ok && folder.required)
      throw inputError('PACK_FILE_MISSING', `${dir} has no ${folder.path}/ (${(folder.anyOf ?? []).join(' or ')})`, {
        file: d,
        path: folder.path,
        hint: 'Copy the tokenizer of the model (tokenizer.json or spiece.model) into tokenizer/.',
      });
  }
  if (layout.kind === 'wan2.1-t2v') {
    const named = new Map([...sigs].map(([k, v]) => [k, { file: join(dir, v.file), sig: v.sig }]));
    return { sigs, latent: checkWanGraphs(named) };
  }
  if (layout.kind === 'taef2') {
    const c = sigs.get('latent_encoder')?.sig.outputs[0]?.shape?.[1];
    return { sigs, latent: { channels: typeof c === 'number' ? c : 32, spatialScale: 8 } };
  }
  return { sigs };
}

/** Every file under `dir` (posix paths), the manifest and dot files left out. */
function listFiles(dir: string, sub = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
    if (e.name.startsWith('.') || (!sub && e.name === PACK_MANIFEST)) continue;
    const rel = sub ? `${sub}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

function roleOf(
  path: string,
  layout: PackLayout,
  graphFiles: Map<string, { graph: string; role: FileRole }>,
): { role: FileRole; graph?: string } {
  const g = graphFiles.get(path);
  if (g) return g;
  const folder = layout.folders?.find((f) => path.startsWith(`${f.path}/`));
  if (folder) return { role: folder.anyOf?.includes(basename(path)) ? folder.role : 'config' };
  // External data next to a graph belongs to it.
  for (const [graphPath, info] of graphFiles)
    if (dirname(graphPath) !== '.' && dirname(graphPath) === dirname(path)) return { role: 'weights', graph: info.graph };
  if (/\.(onnx_data|data|pb|bin)$/.test(path) || path.includes('.onnx.')) return { role: 'weights' };
  if (/^licen[cs]e/i.test(basename(path))) return { role: 'licence' };
  return { role: 'config' };
}

/** A memory estimate for a Wan pack: the larger of the text encoder alone (it runs first and is unloaded) and transformer + decoder + activations. */
function wanMemory(files: PackFile[]): PackMemory[] {
  const of = (graph: string) => files.filter((f) => f.graph === graph).reduce((n, f) => n + f.size, 0);
  const te = of('text_encoder');
  const rest = of('transformer') + of('vae_decoder');
  // Activations: ~160 bytes per output pixel and frame (Wan 2.1 1.3B: ~8 GB at 832×480×81 with 2.6 GB of weights).
  const at = (width: number, height: number, frames: number): PackMemory => {
    const bytes = Math.max(te, rest + width * height * frames * 160);
    return { width, height, frames, deviceBytes: Math.round(bytes), hostBytes: Math.round(te + rest) };
  };
  return [at(480, 272, 81), at(640, 368, 81), at(832, 480, 81), at(1280, 720, 81)];
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .slice(0, 64) || 'pack'
  );
}

/** Imports the folder `src` as a pack into `opts.root`. */
export async function importPack(src: string, opts: ImportOptions): Promise<ImportResult> {
  const dir = resolve(src);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw inputError('NOT_A_FOLDER', `${src} is not a folder`, { file: src, hint: 'Give the folder of the converted ONNX graphs.' });
  const kind = opts.kind ?? detectLayout(dir);
  if (!kind)
    throw inputError('PACK_LAYOUT_UNKNOWN', `${src} has no known layout (no text_encoder/, transformer/, vae_decoder/ graphs)`, {
      file: src,
      hint: `Give --kind (${PIPELINE_KINDS.join(', ')}), or lay the folder out like the Wan 2.1 ONNX export.`,
    });
  const layout = LAYOUTS[kind];
  const { sigs, latent } = checkFolder(dir, layout);
  const id = opts.id ?? slug(basename(dir));
  const root = resolve(opts.root);
  const target = join(root, id);
  if (existsSync(join(target, PACK_MANIFEST)) && !opts.force)
    throw inputError('PACK_EXISTS', `a pack ${id} is already installed in ${root}`, {
      path: 'id',
      hint: 'Give another --id, or --force to replace it (or `klappe models remove` it first).',
    });
  if (dir === target || dir.startsWith(`${target}${sep}`) || root.startsWith(`${dir}${sep}`) || root === dir)
    throw inputError('PACK_IMPORT_IN_PLACE', `${src} overlaps the local model folder ${root}`, {
      file: src,
      hint: 'Import from a folder outside the local model folder.',
    });

  const graphFiles = new Map([...sigs].map(([graph, v]) => [v.file, { graph, role: layout.graphs.find((g) => g.graph === graph)!.role }]));
  const paths = listFiles(dir);
  mkdirSync(root, { recursive: true });
  const staging = join(root, `.import-${id}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    const files: PackFile[] = [];
    for (const [i, path] of paths.entries()) {
      opts.onProgress?.(i, paths.length, path);
      const from = join(dir, path);
      const to = join(staging, path);
      mkdirSync(dirname(to), { recursive: true });
      try {
        linkSync(from, to);
      } catch {
        copyFileSync(from, to);
      }
      const { role, graph } = roleOf(path, layout, graphFiles);
      files.push({ path, size: statSync(to).size, sha256: await sha256File(to), role, ...(graph ? { graph } : {}) });
    }
    opts.onProgress?.(paths.length, paths.length, '');
    const manifest = writePackManifest(staging, {
      format: 1,
      id,
      name: basename(dir),
      version: opts.version ?? '1',
      licence: opts.licence ?? layout.licence,
      pipeline: kind,
      source: dir,
      files,
      memory: kind === 'wan2.1-t2v' ? wanMemory(files) : [],
      defaults: layout.defaults,
      ...(latent ? { latent: { ...latent, ...opts.latent } } : {}),
    });
    const aside = existsSync(target) ? join(root, `.replaced-${id}-${Date.now().toString(36)}`) : undefined;
    if (aside) renameSync(target, aside);
    renameSync(staging, target);
    fsyncDir(root);
    if (aside) rmSync(aside, { recursive: true, force: true });
    return { manifest, dir: target, signatures: Object.fromEntries([...sigs].map(([k, v]) => [k, v.sig])) };
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
