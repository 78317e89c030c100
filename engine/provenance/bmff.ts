/**
 * Whether an MP4/MOV already carries a C2PA manifest (a `uuid` box with the
 * C2PA uuid), from its top-level box headers only, without reading its media.
 */
import { topLevelBoxes } from '../media/bmff-box.js';

/** The uuid of the box that holds a C2PA manifest store in BMFF (C2PA 2.x, 11.3.4). */
export const C2PA_UUID = 'd8fec3d61b0e483c92975828877ec481';

/** True when the file holds a C2PA manifest store box (signed by whoever made it). */
export function hasC2paBox(file: string): boolean {
  try {
    return topLevelBoxes(file).some((b) => b.type === 'uuid' && b.uuid === C2PA_UUID);
  } catch {
    return false;
  }
}
