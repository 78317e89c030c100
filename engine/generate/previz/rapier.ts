/** Loads the Rapier physics engine (WASM) once per process. */
import RAPIER from '@dimforge/rapier3d-compat';

let ready: Promise<typeof RAPIER> | undefined;

export function loadRapier(): Promise<typeof RAPIER> {
  ready ??= (async () => {
    // 0.21 warns about the deprecated init signature on stderr; the object form is the current one.
    await (RAPIER.init as unknown as (opts?: object) => Promise<void>)({});
    return RAPIER;
  })();
  return ready;
}
