/**
 * Variations: "Generate again" gives a shot a variation seed (at or above
 * VARIATION_SEED_BASE; engine/model/variation-seed.ts picks it) and the take made with it is
 * another performance of the same direction. Lower seeds are the shot as
 * directed (they drive a handheld move's shake as before); a variation seed moves the camera
 * a little (a few centimetres, a fraction of a degree of aim, a touch of
 * handheld breathing on a static camera) — the same seed always the same way.
 * The scene's simulation is shared by every shot of the scene (continuity),
 * so the variation lives in the camera, not in the world.
 */
import type { Camera } from '../../model/schema.js';
import { isVariationSeed } from '../../model/variation-seed.js';
import { seededRandom } from '../../util/seeded-random.js';

export { VARIATION_SEED_BASE } from '../../model/variation-seed.js';

export function varyCamera(camera: Camera, seed: number): Camera {
  if (!isVariationSeed(seed)) return camera;
  const r = seededRandom(seed * 2654435761 + 99);
  const j = (m: number) => (r() * 2 - 1) * m;
  return {
    ...camera,
    position: [camera.position[0] + j(0.06), camera.position[1] + j(0.03), camera.position[2] + j(0.06)],
    target: [camera.target[0] + j(0.05), camera.target[1] + j(0.03), camera.target[2] + j(0.05)],
    lensMm: Math.max(8, Math.min(300, camera.lensMm * (1 + j(0.04)))),
    move: camera.move.type === 'static' ? { type: 'handheld', amount: 0.15 + r() * 0.2 } : camera.move,
  };
}
