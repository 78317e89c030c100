/**
 * The model pack manifest (`klappe-pack.json`): what a pack folder holds, where
 * each file came from, what it needs to run and how it runs by default. A pack
 * is a folder in the local model folder with this file at its root; the
 * manager (pack-install.ts, pack-import.ts) writes it only after every file
 * has been checked, so a manifest in place means a complete pack.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { KlappeError, formatJsonPath } from '../common/errors.js';
import { writeFileAtomic } from '../util/atomic-file.js';

export const PACK_MANIFEST = 'klappe-pack.json';
export const PACK_FORMAT = 1;

/** How the files of a pack run together. */
export const PIPELINE_KINDS = ['wan2.1-t2v', 'enhance-x3', 'taef2'] as const;
export type PipelineKind = (typeof PIPELINE_KINDS)[number];

/** What a file is for inside its pipeline. */
export const FILE_ROLES = [
  'text_encoder',
  'transformer',
  'vae_encoder',
  'vae_decoder',
  'image_encoder',
  'tokenizer',
  'upscaler',
  'latent_encoder',
  'latent_decoder',
  'weights',
  'config',
  'licence',
] as const;
export type FileRole = (typeof FILE_ROLES)[number];

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lower-case hex digits');

/** A path inside the pack: relative, forward slashes, no `..`, no leading dot folder. */
const PackPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.includes('\\') && !/^[A-Za-z]:/.test(p), 'a pack path is relative, with forward slashes')
  .refine(
    (p) => p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..' && !seg.startsWith('.')),
    'a pack path has no empty, dot or `..` parts',
  )
  .refine((p) => p !== PACK_MANIFEST, `the manifest ${PACK_MANIFEST} is not one of the pack's files`);

export const PackFileSchema = z.strictObject({
  path: PackPath,
  size: z.number().int().nonnegative(),
  sha256: Sha256,
  /** Where the file is downloaded from (absolute http(s) URL, or relative to the manifest's URL). Absent for imported packs. */
  url: z.string().min(1).optional(),
  role: z.enum(FILE_ROLES),
  /** Which graph of the pipeline this file is, or belongs to (external data files name their graph). */
  graph: z.string().min(1).optional(),
});
export type PackFile = z.infer<typeof PackFileSchema>;

/** Memory a run needs at one output size (bytes; frames where the pipeline makes video). */
export const PackMemorySchema = z.strictObject({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  frames: z.number().int().positive().optional(),
  /** Accelerator memory (VRAM) a run at this size needs, weights included. */
  deviceBytes: z.number().int().nonnegative(),
  /** Host memory (RAM) a run at this size needs. */
  hostBytes: z.number().int().nonnegative().optional(),
});
export type PackMemory = z.infer<typeof PackMemorySchema>;

export const PackDefaultsSchema = z.strictObject({
  steps: z.number().int().positive().optional(),
  guidance: z.number().nonnegative().optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  fps: z.number().int().positive().optional(),
  frames: z.number().int().positive().optional(),
  /** Flow-matching shift of the scheduler, where the pipeline has one. */
  shift: z.number().positive().optional(),
});
export type PackDefaults = z.infer<typeof PackDefaultsSchema>;

/** The latent space of the pipeline (so a tiny decoder can be matched to it). */
export const PackLatentSchema = z.strictObject({
  channels: z.number().int().positive(),
  spatialScale: z.number().int().positive(),
  temporalScale: z.number().int().positive().optional(),
});
export type PackLatent = z.infer<typeof PackLatentSchema>;

export const PackManifestSchema = z
  .strictObject({
    format: z.literal(PACK_FORMAT),
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a pack id is 1–64 lower-case letters, digits, dots, dashes or underscores'),
    name: z.string().min(1).optional(),
    version: z.string().min(1),
    /** SPDX id or licence name of the weights. */
    licence: z.string().min(1),
    licenceUrl: z.string().min(1).optional(),
    pipeline: z.enum(PIPELINE_KINDS),
    /** Where the pack was installed from (the manifest's URL) or imported from (a folder). */
    source: z.string().min(1).optional(),
    files: z.array(PackFileSchema).min(1),
    memory: z.array(PackMemorySchema).default([]),
    defaults: PackDefaultsSchema.default({}),
    latent: PackLatentSchema.optional(),
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.files.forEach((f, i) => {
      if (seen.has(f.path)) ctx.addIssue({ code: 'custom', path: ['files', i, 'path'], message: `the file ${f.path} is listed twice` });
      seen.add(f.path);
    });
    for (const role of REQUIRED_ROLES[m.pipeline])
      if (!m.files.some((f) => f.role === role))
        ctx.addIssue({ code: 'custom', path: ['files'], message: `a ${m.pipeline} pack needs a file with role ${role}` });
    if (m.pipeline === 'wan2.1-t2v')
      for (const key of ['steps', 'guidance', 'width', 'height', 'fps'] as const)
        if (m.defaults[key] === undefined)
          ctx.addIssue({ code: 'custom', path: ['defaults', key], message: `a ${m.pipeline} pack needs defaults.${key}` });
  });
export type PackManifest = z.infer<typeof PackManifestSchema>;
/** A manifest as written (defaults may be left out). */
export type PackManifestInput = z.input<typeof PackManifestSchema>;

/** The roles a pipeline cannot run without. */
export const REQUIRED_ROLES: Record<PipelineKind, readonly FileRole[]> = {
  'wan2.1-t2v': ['text_encoder', 'transformer', 'vae_decoder', 'tokenizer'],
  'enhance-x3': ['upscaler'],
  taef2: ['latent_encoder', 'latent_decoder'],
};

/** Validates a parsed manifest; a KlappeError names the file and every bad field. */
export function parsePackManifest(value: unknown, file = PACK_MANIFEST): PackManifest {
  const parsed = PackManifestSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: formatJsonPath(i.path), message: i.message }));
  const first = issues[0]!;
  throw new KlappeError({
    code: 'PACK_MANIFEST_INVALID',
    kind: 'input',
    message: `${file}: ${first.path}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
    file,
    path: first.path,
    issues,
    hint: 'The pack manifest is damaged or from a newer Klappe: reinstall the pack.',
  });
}

/** Reads and validates `DIR/klappe-pack.json`. */
export function readPackManifest(dir: string): PackManifest {
  const file = join(dir, PACK_MANIFEST);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new KlappeError({
      code: 'PACK_MANIFEST_MISSING',
      kind: 'input',
      message: `${dir} is not a model pack: ${PACK_MANIFEST} is missing`,
      file,
      hint: 'Install the pack with `klappe models install URL` or adopt a folder with `klappe models import DIR`.',
      cause: e,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new KlappeError({
      code: 'PACK_MANIFEST_INVALID',
      kind: 'input',
      message: `${file} is not valid JSON: ${(e as Error).message}`,
      file,
      hint: 'The pack manifest is damaged: reinstall the pack.',
      cause: e,
    });
  }
  return parsePackManifest(json, file);
}

/** Writes the manifest atomically (validated first, keys in a stable order). */
export function writePackManifest(dir: string, manifest: PackManifestInput): PackManifest {
  const valid = parsePackManifest(manifest, join(dir, PACK_MANIFEST));
  writeFileAtomic(join(dir, PACK_MANIFEST), `${JSON.stringify(valid, null, 2)}\n`);
  return valid;
}

/** Model packs (folder names) installed in `root`: sub-folders with a manifest; dot folders (downloads in progress) never count. */
export function findModelPacks(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && existsSync(join(root, e.name, PACK_MANIFEST)))
    .map((e) => e.name)
    .sort();
}

export type PackListing =
  { folder: string; dir: string; ok: true; manifest: PackManifest } | { folder: string; dir: string; ok: false; error: KlappeError };

/** Every pack in `root`, each with its manifest or the error reading it (one bad pack does not hide the others). */
export function listModelPacks(root: string): PackListing[] {
  return findModelPacks(root).map((folder) => {
    const dir = join(root, folder);
    try {
      return { folder, dir, ok: true as const, manifest: readPackManifest(dir) };
    } catch (e) {
      const error =
        e instanceof KlappeError
          ? e
          : new KlappeError({ code: 'PACK_MANIFEST_INVALID', message: String(e), file: join(dir, PACK_MANIFEST) });
      return { folder, dir, ok: false as const, error };
    }
  });
}

/** Total bytes of a pack's files. */
export function packBytes(m: Pick<PackManifest, 'files'>): number {
  return m.files.reduce((n, f) => n + f.size, 0);
}

/** The pack's file with a role (the first one), or undefined. */
export function packFile(m: Pick<PackManifest, 'files'>, role: FileRole): PackFile | undefined {
  return m.files.find((f) => f.role === role);
}

/** The memory entry for the smallest listed size covering width×height (and frames), or undefined when none does. */
export function memoryFor(m: Pick<PackManifest, 'memory'>, width: number, height: number, frames?: number): PackMemory | undefined {
  return [...m.memory]
    .filter((e) => e.width * e.height >= width * height && (frames === undefined || e.frames === undefined || e.frames >= frames))
    .sort((a, b) => a.width * a.height - b.width * b.height || (a.frames ?? 0) - (b.frames ?? 0))[0];
}
