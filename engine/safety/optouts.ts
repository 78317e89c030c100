/**
 * Rights-holder opt-out lists: names, characters, brands, marks and reference
 * images a rights holder does not want generated. A list is a signed JSON
 * document (provenance/signed-json.ts, purpose "klappe-optouts/1") made with
 * `klappe safety optouts sign` by the rights holder; `klappe safety optouts
 * import` checks the signature (an altered list is refused) and keeps it in
 * the config folder's optouts/. A newer version of a list must come from the
 * same signer. Prompts naming an entry, and reference images like one of its
 * images, are blocked with a message naming the rights holder.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { formatJsonPath, inputError } from '../common/errors.js';
import type { SigningIdentity } from '../provenance/identity.js';
import { signJson, verifySignedJson, type SignerSummary } from '../provenance/signed-json.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { sha256File, sha256Hex } from '../util/hash.js';
import { configDir } from '../util/paths.js';
import { hammingDistance, imageDhash } from './image-hash.js';
import type { OptoutMatcher } from './moderate.js';
import { compilePattern, tokenize } from './text-match.js';

export const OPTOUT_PURPOSE = 'klappe-optouts/1';
/** dHash bits that may differ for a reference image to count as the listed one. */
export const IMAGE_MATCH_BITS = 10;

const EntrySchema = z
  .object({
    kind: z.enum(['name', 'character', 'brand', 'mark', 'image']),
    name: z.string().trim().min(1).max(200),
    aliases: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
    /** Images: sha256 of the file and its dHash (filled in by `optouts sign` from `file`). */
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    dhash: z
      .string()
      .regex(/^[0-9a-f]{16}$/)
      .optional(),
    /** Only in the unsigned source a rights holder writes: an image file next to it. */
    file: z.string().min(1).max(1000).optional(),
  })
  .strict()
  .refine((e) => e.kind !== 'image' || !!e.sha256 || !!e.file, 'an image entry needs sha256 and dhash (or file, before signing)');

export const OptoutListSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, 'a list id is lowercase letters, digits, dots, dashes'),
    holder: z.string().trim().min(1).max(200),
    contact: z.string().max(200).optional(),
    version: z.number().int().positive().default(1),
    issued: z.string().max(40).optional(),
    entries: z.array(EntrySchema).min(1).max(10_000),
  })
  .strict();

export type OptoutList = z.output<typeof OptoutListSchema>;
export type OptoutEntry = OptoutList['entries'][number];

export interface ImportedList {
  list: OptoutList;
  signer: SignerSummary;
  file: string;
}

export function optoutsDir(): string {
  return join(configDir(), 'optouts');
}

function parseList(value: unknown, file: string): OptoutList {
  const r = OptoutListSchema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const path = formatJsonPath(i.path);
    throw inputError('OPTOUTS_INVALID', `${file}: ${path}: ${i.message}`, {
      file,
      path,
      hint: 'docs/safety.md shows the opt-out list format.',
    });
  }
  return r.data;
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw inputError('FILE_NOT_FOUND', `cannot read ${file}: ${(e as Error).message}`, { file });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw inputError('OPTOUTS_INVALID', `${file}: not JSON: ${(e as Error).message}`, { file });
  }
}

/** Signs a rights holder's list (images given by `file` get their sha256 and dHash); the signed document. */
export async function signOptoutList(sourceFile: string, identity: Pick<SigningIdentity, 'chain' | 'key'>) {
  const list = parseList(readJsonFile(sourceFile), sourceFile);
  const entries: OptoutEntry[] = [];
  for (const e of list.entries) {
    if (e.kind === 'image' && e.file) {
      const f = resolve(dirname(sourceFile), e.file);
      const { file: _file, ...rest } = e;
      entries.push({ ...rest, sha256: await sha256File(f), dhash: await imageDhash(f) });
    } else entries.push(e);
  }
  return signJson(OPTOUT_PURPOSE, { ...list, entries }, identity);
}

/** Checks a signed list (refused when altered or unsigned) without importing it. */
export async function readSignedList(file: string): Promise<ImportedList> {
  const { payload, signer } = await verifySignedJson<unknown>(readJsonFile(file), OPTOUT_PURPOSE, file);
  const list = parseList(payload, file);
  if (list.entries.some((e) => e.kind === 'image' && (!e.sha256 || !e.dhash)))
    throw inputError('OPTOUTS_INVALID', `${file}: an image entry has no sha256 and dhash`, {
      file,
      hint: 'Sign the list with klappe safety optouts sign.',
    });
  return { list, signer, file };
}

/** Imports a signed list into the config folder; a newer version of a list must have the same signer. */
export async function importOptoutList(file: string, dir = optoutsDir()): Promise<ImportedList> {
  const read = await readSignedList(file);
  const target = join(dir, `${read.list.id}.json`);
  if (existsSync(target)) {
    const had = await readSignedList(target).catch(() => undefined);
    if (had && had.signer.sha256 !== read.signer.sha256)
      throw inputError(
        'OPTOUTS_SIGNER_CHANGED',
        `${file}: list "${read.list.id}" was signed by ${had.signer.subject} before, this one by ${read.signer.subject}`,
        {
          file,
          hint: `Remove ${target} first if the rights holder changed their certificate.`,
        },
      );
    if (had && had.list.version > read.list.version)
      throw inputError(
        'OPTOUTS_OLDER',
        `${file}: list "${read.list.id}" version ${read.list.version} is older than the imported version ${had.list.version}`,
        { file },
      );
  }
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(target, readFileSync(file));
  return { ...read, file: target };
}

export interface LoadedOptouts {
  lists: ImportedList[];
  /** Lists in the folder that failed their check now (altered after import): not used, reported. */
  refused: Array<{ file: string; reason: string }>;
  matchers: OptoutMatcher[];
  images: Array<{ listId: string; holder: string; name: string; sha256: string; dhash: string }>;
}

let cached: { key: string; value: LoadedOptouts } | undefined;

/** The imported lists (each checked again; read once per content of the folder). */
export async function loadOptouts(dir = optoutsDir()): Promise<LoadedOptouts> {
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  const texts = files.map((f) => readFileSync(join(dir, f), 'utf8'));
  const key = sha256Hex(`${dir}\n${files.join('\n')}\n${texts.join('\n')}`);
  if (cached?.key === key) return cached.value;
  const value: LoadedOptouts = { lists: [], refused: [], matchers: [], images: [] };
  for (const f of files) {
    const file = join(dir, f);
    try {
      value.lists.push(await readSignedList(file));
    } catch (e) {
      value.refused.push({ file, reason: (e as Error).message });
    }
  }
  for (const { list } of value.lists) {
    for (const e of list.entries) {
      if (e.kind === 'image') {
        value.images.push({ listId: list.id, holder: list.holder, name: e.name, sha256: e.sha256!, dhash: e.dhash! });
        continue;
      }
      const names = [e.name, ...(e.aliases ?? [])];
      const patterns = names
        .map((n) => tokenize(n).map((t) => t.text))
        .filter((words) => words.length)
        .map((words) => compilePattern(words.join(' ')));
      if (patterns.length) value.matchers.push({ listId: list.id, holder: list.holder, kind: e.kind, label: e.name, patterns });
    }
  }
  cached = { key, value };
  return value;
}

export interface ImageOptoutHit {
  listId: string;
  holder: string;
  name: string;
  /** dHash bits that differ (0 for the same file). */
  distance: number;
}

/** The opt-out image a reference image matches (same file, or a dHash within IMAGE_MATCH_BITS), if any. */
export async function matchOptoutImage(file: string, loaded: LoadedOptouts): Promise<ImageOptoutHit | undefined> {
  if (!loaded.images.length) return undefined;
  const sha = await sha256File(file);
  const same = loaded.images.find((i) => i.sha256 === sha);
  if (same) return { listId: same.listId, holder: same.holder, name: same.name, distance: 0 };
  const dh = await imageDhash(file);
  let best: ImageOptoutHit | undefined;
  for (const i of loaded.images) {
    const d = hammingDistance(dh, i.dhash);
    if (d <= IMAGE_MATCH_BITS && (!best || d < best.distance)) best = { listId: i.listId, holder: i.holder, name: i.name, distance: d };
  }
  return best;
}

/** Writes a signed list to a file (for `optouts sign --out`). */
export function writeSignedList(file: string, signed: unknown): void {
  writeFileSync(file, `${JSON.stringify(signed, null, 2)}\n`);
}

export function listLabel(l: ImportedList): string {
  return `${l.list.id} v${l.list.version}: ${l.list.holder}, ${l.list.entries.length} entries, signed by ${l.signer.subject} (${basename(l.file)})`;
}
