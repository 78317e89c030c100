/** Draws the FrameSpecs it is sent into its slot of the shared frame buffer (raw RGBA) and says which frame is there. */
import { parentPort, workerData } from 'node:worker_threads';
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { drawFrame } from './draw.js';
import type { FrameSpec } from './frame-spec.js';

const { shared, frameBytes } = workerData as { shared: SharedArrayBuffer; frameBytes: number };
let canvas: Canvas | undefined;

parentPort!.on('message', (msg: { index: number; spec: FrameSpec; slot: number }) => {
  try {
    const pixels = renderPixels(msg.spec);
    if (pixels.length !== frameBytes) throw new Error(`frame of ${pixels.length} bytes, expected ${frameBytes}`);
    new Uint8Array(shared, msg.slot * frameBytes, frameBytes).set(pixels);
    parentPort!.postMessage({ index: msg.index, slot: msg.slot });
  } catch (e) {
    parentPort!.postMessage({ index: msg.index, error: String((e as Error)?.stack ?? e) });
  }
});

function renderPixels(spec: FrameSpec): Uint8Array {
  if (!canvas || canvas.width !== spec.width || canvas.height !== spec.height) canvas = createCanvas(spec.width, spec.height);
  drawFrame(canvas.getContext('2d'), spec);
  return canvas.data();
}
