/**
 * `klappe models verify ID` and `remove ID`: re-hash every file of an
 * installed pack against its manifest; move a pack out of the listing with one
 * rename before deleting it, so a half-removed pack never shows as installed.
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../common/errors.js';
import { sha256File } from '../util/hash.js';
import { PACK_MANIFEST, readPackManifest, type PackFile, type PackManifest } from './pack-manifest.js';

export interface FileProblem {
  path: string;
  problem: 'missing' | 'size' | 'sha256';
  expected: string;
  actual: string;
}

/** Problems of the files against their manifest entries (empty: all good). */
export async function verifyPackFiles(
  dir: string,
  files: readonly PackFile[],
  onFile?: (path: string, index: number) => void,
): Promise<FileProblem[]> {
  const problems: FileProblem[] = [];
  for (const [i, f] of files.entries()) {
    onFile?.(f.path, i);
    const path = join(dir, f.path);
    if (!existsSync(path)) {
      problems.push({ path: f.path, problem: 'missing', expected: `${f.size} bytes`, actual: 'no file' });
      continue;
    }
    const size = statSync(path).size;
    if (size !== f.size) {
      problems.push({ path: f.path, problem: 'size', expected: `${f.size} bytes`, actual: `${size} bytes` });
      continue;
    }
    const sha = await sha256File(path);
    if (sha !== f.sha256) problems.push({ path: f.path, problem: 'sha256', expected: f.sha256, actual: sha });
  }
  return problems;
}

/** The folder of an installed pack, or an input error naming the id and the folder. */
export function installedPackDir(root: string, id: string): string {
  const dir = join(root, id);
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(id) || !existsSync(join(dir, PACK_MANIFEST)))
    throw inputError('PACK_NOT_INSTALLED', `no model pack ${id} is installed in ${root}`, {
      path: 'id',
      hint: 'See the installed packs with `klappe models list`.',
    });
  return dir;
}

export async function verifyPack(
  root: string,
  id: string,
  onFile?: (path: string, index: number, count: number) => void,
): Promise<{ manifest: PackManifest; dir: string; problems: FileProblem[] }> {
  const dir = installedPackDir(root, id);
  const manifest = readPackManifest(dir);
  const problems = await verifyPackFiles(dir, manifest.files, (p, i) => onFile?.(p, i, manifest.files.length));
  return { manifest, dir, problems };
}

export function removePack(root: string, id: string): string {
  const dir = installedPackDir(root, id);
  const aside = join(root, `.removing-${id}-${Date.now().toString(36)}`);
  renameSync(dir, aside);
  rmSync(aside, { recursive: true, force: true });
  return dir;
}
