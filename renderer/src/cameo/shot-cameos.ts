/** Which cameos a shot shows (its characters, its lines' speakers, its scene's marks), as the engine's consent check counts them. */
import type { ConsentDecision } from '../../../engine/api/contract.js';
import type { RootState } from '../store/store.js';
import { charactersSel, linesSel, scenesSel, shotsSel } from '../store/selectors.js';

export function cameoDecisionsOfShot(s: RootState, shotId: string): Array<ConsentDecision & { character: string }> {
  const shot = shotsSel.selectById(s, shotId);
  if (!shot) return [];
  const scene = scenesSel.selectById(s, shot.sceneId);
  const used = new Set<string>([
    ...shot.characterIds,
    ...linesSel
      .selectAll(s)
      .filter((l) => l.shotId === shotId)
      .map((l) => l.characterId),
    ...(scene?.marks ?? []).map((m) => m.characterId),
  ]);
  const cameos = s.cameos.view?.cameos ?? [];
  return charactersSel
    .selectAll(s)
    .filter((c) => used.has(c.id) && c.cameoRef)
    .map((c) => {
      const v = cameos.find((x) => x.id === c.cameoRef);
      const decision: ConsentDecision = v?.decision ?? {
        outcome: 'block',
        rule: 'cameo.unknown',
        reason: `cameo ${c.cameoRef} is not in this machine's cameo library; import its owner's record`,
        cameoId: c.cameoRef!,
      };
      return { ...decision, character: c.name };
    });
}

/** Equality for selectors that build small lists: same content, no re-render. */
export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
