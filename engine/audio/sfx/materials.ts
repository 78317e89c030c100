/**
 * How each material sounds when struck: a few resonant modes (frequency Hz,
 * decay time to −60 dB in seconds, relative amplitude) for modal synthesis, a
 * contact click (noise burst decay and low-pass), and how hard it is (a soft
 * partner damps the other's ringing and dulls the click).
 */
import type { Material } from './contact-event.js';

export interface MaterialSound {
  modes: ReadonlyArray<readonly [freqHz: number, t60: number, amp: number]>;
  clickDecay: number;
  clickCutoffHz: number;
  /** 0 soft … 1 hard. */
  hardness: number;
}

export const MATERIAL_SOUNDS: Readonly<Record<Material, MaterialSound>> = {
  wood: {
    modes: [
      [420, 0.09, 1],
      [960, 0.07, 0.6],
      [1750, 0.05, 0.4],
      [2900, 0.03, 0.25],
    ],
    clickDecay: 0.006,
    clickCutoffHz: 3500,
    hardness: 0.7,
  },
  ceramic: {
    modes: [
      [2100, 0.35, 1],
      [3900, 0.25, 0.7],
      [5600, 0.18, 0.5],
      [7600, 0.12, 0.3],
    ],
    clickDecay: 0.003,
    clickCutoffHz: 9000,
    hardness: 0.95,
  },
  glass: {
    modes: [
      [2900, 0.7, 1],
      [5200, 0.5, 0.6],
      [7900, 0.35, 0.4],
      [11300, 0.2, 0.25],
    ],
    clickDecay: 0.002,
    clickCutoffHz: 11000,
    hardness: 1,
  },
  metal: {
    modes: [
      [850, 1.6, 1],
      [2180, 1.2, 0.7],
      [3670, 0.9, 0.5],
      [5420, 0.7, 0.35],
    ],
    clickDecay: 0.003,
    clickCutoffHz: 9000,
    hardness: 1,
  },
  rubber: {
    modes: [
      [110, 0.08, 1],
      [240, 0.05, 0.4],
    ],
    clickDecay: 0.012,
    clickCutoffHz: 900,
    hardness: 0.15,
  },
  cardboard: {
    modes: [
      [230, 0.05, 0.7],
      [520, 0.035, 0.4],
    ],
    clickDecay: 0.015,
    clickCutoffHz: 2500,
    hardness: 0.3,
  },
  plastic: {
    modes: [
      [900, 0.1, 1],
      [2000, 0.07, 0.5],
      [3400, 0.05, 0.3],
    ],
    clickDecay: 0.005,
    clickCutoffHz: 5500,
    hardness: 0.6,
  },
  floor: {
    modes: [
      [95, 0.14, 1],
      [210, 0.09, 0.5],
      [480, 0.06, 0.3],
    ],
    clickDecay: 0.01,
    clickCutoffHz: 2200,
    hardness: 0.75,
  },
  grass: { modes: [], clickDecay: 0.04, clickCutoffHz: 1800, hardness: 0.05 },
  flesh: { modes: [[140, 0.05, 0.6]], clickDecay: 0.018, clickCutoffHz: 700, hardness: 0.1 },
};
