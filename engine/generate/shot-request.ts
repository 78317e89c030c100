/** Builds the ShotRequest for a shot from the document, and its cache key. */
import { readFileSync, statSync } from 'node:fs';
import { cameoReferenceImages } from '../cameo/consent-check.js';
import { inputError } from '../common/errors.js';
import { withLines } from '../model/lines.js';
import { findShot, takesOfShot } from '../model/lookup.js';
import { resolveMediaPath } from '../model/project-file.js';
import type { Character, Project, Scene } from '../model/schema.js';
import { directedSeed } from '../model/variation-seed.js';
import { canonicalJson, sha256Hex } from '../util/hash.js';
import { LruCache } from '../util/lru-cache.js';
import type { Backend, QualityPreset, ShotRequest } from './backend.js';

export interface RequestOptions {
  quality?: QualityPreset;
  size?: { width: number; height: number };
  seed?: number;
  /** Reference images (files) the backends that accept them use: a first frame, a last frame, assets. */
  references?: ShotRequest['references'];
  /** The project's folder: the characters' reference images (project media) are sent from there. Absent: they are not sent. */
  projectDir?: string;
}

export function buildShotRequest(doc: Project, shotId: string, opts: RequestOptions = {}): ShotRequest {
  const loc = findShot(doc, shotId);
  if (!loc) throw inputError('NOT_FOUND', `no shot with id "${shotId}"`, { path: 'shotId' });
  const { scene } = loc;
  // a take speaks its own shot's lines: each shot of the scene carries its lines as `dialogue` (the same words, speakers
  // and starts a version-2 shot held, so a cache key means what it meant then)
  const shots = withLines(doc, scene.shots);
  const shot = shots[loc.shotIndex]!;
  const used = new Set<string>([
    ...shot.characterIds,
    ...shot.dialogue.map((l) => l.characterId),
    ...scene.marks.map((m) => m.characterId),
  ]);
  const takes = takesOfShot(doc, shotId);
  const characters = doc.characters.filter((c) => used.has(c.id));
  // the characters' reference images and a cameo's face crops go to backends that take reference images (none without
  // either: cache keys stay as they were)
  const cameoImages = [
    ...(opts.projectDir ? characterReferenceImages(doc, characters, opts.projectDir) : []),
    ...cameoReferenceImages(characters),
  ];
  return {
    projectId: doc.id,
    scene: sceneInput(scene, shots),
    shot,
    camera: shot.camera,
    characters,
    takeNumber: (takes[takes.length - 1]?.number ?? 0) + 1,
    references: withCameoImages(opts.references ?? {}, cameoImages),
    seed: opts.seed ?? shot.seed,
    size: opts.size ?? { width: doc.sequence.width, height: doc.sequence.height },
    rate: doc.sequence.rate,
    quality: opts.quality ?? 'standard',
    creatorName: doc.creator.name,
  };
}

/** The scene as backends and the previz simulation see it: set, props, marks, actions, physics, and `shots` (with their lines). */
export function sceneInput(scene: Scene, shots: ShotRequest['scene']['shots']): ShotRequest['scene'] {
  return {
    id: scene.id,
    number: scene.number,
    name: scene.name,
    set: scene.set,
    props: scene.props,
    marks: scene.marks,
    actions: scene.actions,
    physics: scene.physics,
    shots,
  };
}

/** The files of the characters' reference images (the project's image media they name), in cast order. */
export function characterReferenceImages(doc: Project, characters: Character[], projectDir: string): string[] {
  return characters.flatMap((c) =>
    (c.references ?? []).flatMap((id) => {
      const m = doc.media.find((x) => x.id === id && x.kind === 'image');
      return m ? [resolveMediaPath(projectDir, m.path)] : [];
    }),
  );
}

/** The request's references with the cameos' face crops added to its images (none without a cameo: cache keys stay as they were). */
function withCameoImages(refs: ShotRequest['references'], cameoImages: string[]): ShotRequest['references'] {
  return cameoImages.length ? { ...refs, images: [...(refs.images ?? []), ...cameoImages] } : refs;
}

/** sha256 of reference files by path, size and modification time (a file is read once while it is unchanged). */
const referenceHashes = new LruCache<string, string>({ maxEntries: 256 });

/** The references with each file named by its content (`sha256:…`); a file that cannot be read keeps its path. */
function referencesByContent(refs: ShotRequest['references']): ShotRequest['references'] {
  const byContent = (path: string): string => {
    try {
      const st = statSync(path);
      const memo = `${path}\u0000${st.size}\u0000${st.mtimeMs}`;
      return `sha256:${referenceHashes.getOrCreate(memo, () => sha256Hex(readFileSync(path)))}`;
    } catch {
      return path;
    }
  };
  return {
    ...refs,
    ...(refs.firstFrame ? { firstFrame: byContent(refs.firstFrame) } : {}),
    ...(refs.lastFrame ? { lastFrame: byContent(refs.lastFrame) } : {}),
    ...(refs.images ? { images: refs.images.map(byContent) } : {}),
  };
}

/** The fields of a request that do not change what a backend makes. */
const NON_DETERMINING = new Set(['projectId', 'takeNumber', 'creatorName']);

/** sha256 of the canonical JSON of backend id, version and the determining fields of the request. */
export function cacheKey(
  backend: Pick<Backend, 'id' | 'version'>,
  request: ShotRequest,
  opts: { includeTakeNumber?: boolean } = {},
): string {
  const determining: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(request)) {
    if (NON_DETERMINING.has(k) && !(k === 'takeNumber' && opts.includeTakeNumber)) continue;
    determining[k] = v;
  }
  // A reference image counts by its bytes, not by where it lies: a moved or copied project folder keeps its keys.
  determining.references = referencesByContent(request.references);
  // Which take is selected (of this shot or of the scene's other shots) does not change what is generated.
  determining.shot = { ...request.shot, selectedTakeId: undefined };
  // Nor does another shot's variation ("Generate again" there): the scene's shots count with their seeds as directed.
  if (request.scene)
    determining.scene = {
      ...request.scene,
      shots: request.scene.shots.map((s) => ({ ...s, seed: directedSeed(s.seed), selectedTakeId: undefined })),
    };
  return sha256Hex(canonicalJson({ backend: backend.id, version: backend.version, request: determining }));
}
