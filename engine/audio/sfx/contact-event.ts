/**
 * A contact from the physics simulation that makes a sound. Generators put
 * these in the take's metadata (`metadata.contacts`); the SFX synthesizer turns
 * them into sound on the exact sample.
 */
export type Material = 'wood' | 'ceramic' | 'glass' | 'rubber' | 'metal' | 'cardboard' | 'floor' | 'grass' | 'flesh' | 'plastic';

export interface ContactEvent {
  /** Scene time of the contact, samples at 48 kHz from the scene's start. */
  sceneSample: number;
  /** Scene frame the contact happens in (at the sequence rate). */
  sceneFrame: number;
  /** Impulse magnitude, N·s. */
  impulse: number;
  /** The two bodies' ids (prop id, character id, or 'floor'/'wall'). */
  a: string;
  b: string;
  materialA: Material;
  materialB: Material;
  /** World position of the contact, metres. */
  position: [number, number, number];
  /** 'impact' for a hit, 'footstep' for a step. */
  kind: 'impact' | 'footstep';
}
