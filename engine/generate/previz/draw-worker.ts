/** Draws the FrameSpecs it is sent and answers with raw RGBA pixels (transferred, not copied). */
import { parentPort } from 'node:worker_threads';
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { drawFrame } from './draw.js';
import type { FrameSpec } from './frame-spec.js';

let canvas: Canvas | undefined;

parentPort!.on('message', (msg: { index: number; spec: FrameSpec }) => {
  try {
    const pixels = renderPixels(msg.spec);
    parentPort!.postMessage({ index: msg.index, pixels }, [pixels.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ index: msg.index, error: String((e as Error)?.stack ?? e) });
  }
});

function renderPixels(spec: FrameSpec): Uint8Array {
  if (!canvas || canvas.width !== spec.width || canvas.height !== spec.height) canvas = createCanvas(spec.width, spec.height);
  drawFrame(canvas.getContext('2d'), spec);
  // data() is a fresh copy that owns its whole ArrayBuffer: transfer it as is; copy only if it ever is a view.
  const data = canvas.data();
  return data.byteOffset === 0 && data.buffer.byteLength === data.length
    ? new Uint8Array(data.buffer, 0, data.length)
    : new Uint8Array(data);
}
