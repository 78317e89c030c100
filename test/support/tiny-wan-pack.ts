/**
 * A tiny model pack in the public ONNX layout of Wan 2.1 T2V (OnnxStack's
 * Olive converter): the same graph names, input and output names, element
 * types and dynamic axes, with small random weights from a seed, so tests
 * run the whole local pipeline on a CPU in milliseconds.
 *
 *   text_encoder/model.onnx   input_ids [B,512] int64 → last_hidden_state [B,512,D]
 *   transformer/model.onnx    hidden_states [1,C,F,H,W] (F, H, W dynamic), timestep [1],
 *                             encoder_hidden_states [1,512,D] → out_sample [1,C,F,H,W]
 *                             (weights as external data: transformer/model.onnx.data)
 *   vae_decoder/model.onnx    latent_sample [1,C,F,H,W] → sample [1,3,F,H·8,W·8]
 *   tokenizer/tokenizer.json  a Unigram (sentencepiece) vocabulary in the Hugging Face
 *                             tokenizer.json format UMT5 ships, with a few dozen pieces
 *
 * What the graphs compute (small, but every input matters):
 *   text encoder: tanh(embedding[input_ids] · Wt)
 *   transformer:  tanh(conv1x1x1(hidden_states) + (mean over tokens of the text) · Wc ⊙ (1 + timestep/1000))
 *   vae decoder:  tanh(conv1x1x1(latent → RGB)), nearest upscale ×8 in space, none in time
 * The decoder works on each latent frame alone, so decoding frame by frame gives
 * exactly the frames of a decode of the whole latent.
 *
 * Defaults match the real layout's sizes (C = 16, D = 4096); tests may shrink D.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeOnnxModel, floatTensor, int64Tensor, type OnnxGraph, type OnnxModel } from '../../engine/inference/onnx-writer.js';
import { seededRandom } from '../../engine/util/seeded-random.js';

export interface TinyWanOptions {
  seed?: number;
  /** Latent channels C (Wan 2.1: 16). */
  channels?: number;
  /** Text hidden size D (UMT5-XXL: 4096). */
  hidden?: number;
  /** Text length (Wan: 512). */
  textLength?: number;
  /** Spatial scale of the decoder (Wan VAE: 8). */
  spatialScale?: number;
  /** ONNX opset (the Wan converter writes 20). */
  opset?: number;
  id?: string;
}

export interface TinyWanFile {
  path: string;
  size: number;
  sha256: string;
  role: 'text_encoder' | 'transformer' | 'vae_decoder' | 'tokenizer' | 'weights';
  graph?: string;
}

/** The pack manifest as the pack schema (engine/inference/pack-manifest.ts) reads it. */
export interface TinyWanManifest {
  format: 1;
  id: string;
  name: string;
  version: string;
  licence: string;
  pipeline: 'wan2.1-t2v';
  files: TinyWanFile[];
  memory: Array<{ width: number; height: number; frames?: number; deviceBytes: number; hostBytes?: number }>;
  defaults: { steps: number; guidance: number; width: number; height: number; fps: number; frames: number; shift: number };
  latent: { channels: number; spatialScale: number; temporalScale: number };
}

export interface TinyWanPack {
  dir: string;
  manifest: TinyWanManifest;
  options: Required<TinyWanOptions>;
}

/** The vocabulary of the tiny tokenizer: special pieces first (UMT5: <pad> 0, </s> 1, <unk> 2). */
export const TINY_VOCAB: Array<[string, number]> = [
  ['<pad>', 0],
  ['</s>', 0],
  ['<unk>', 0],
  ['▁', -2],
  ...'abcdefghijklmnopqrstuvwxyz'.split('').map((c): [string, number] => [c, -5]),
  ...'abcdefghijklmnopqrstuvwxyz'.split('').map((c): [string, number] => [`▁${c}`, -4.5]),
  ...['▁the', '▁a', '▁cat', '▁dog', '▁walks', '▁runs', '▁in', '▁on', '▁rain', '▁street', '▁night', '▁red', '▁car', 'ing', 'ed', 's'].map(
    (p): [string, number] => [p, -3],
  ),
  ...'.,!?0123456789'.split('').map((c): [string, number] => [c, -6]),
];

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function randomValues(rand: () => number, n: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (rand() * 2 - 1) * scale;
  return out;
}

function textEncoderGraph(o: Required<TinyWanOptions>, rand: () => number): OnnxGraph {
  const V = TINY_VOCAB.length;
  const D = o.hidden;
  return {
    name: 'text_encoder',
    inputs: [{ name: 'input_ids', type: 'int64', shape: ['batch_size', 'sequence_length'] }],
    outputs: [{ name: 'last_hidden_state', type: 'float32', shape: ['batch_size', 'sequence_length', D] }],
    initializers: [
      floatTensor('embedding', [V, D], randomValues(rand, V * D, 1)),
      D > 64
        ? floatTensor('proj', [D], randomValues(rand, D, 1))
        : floatTensor('proj', [D, D], randomValues(rand, D * D, 1 / Math.sqrt(D))),
    ],
    nodes: [
      { op: 'Gather', inputs: ['embedding', 'input_ids'], outputs: ['embedded'], attributes: { axis: { i: 0 } } },
      // A full D×D projection for small D; for the real D (4096) a per-feature scale keeps the file small.
      D > 64
        ? { op: 'Mul', inputs: ['embedded', 'proj'], outputs: ['projected'] }
        : { op: 'MatMul', inputs: ['embedded', 'proj'], outputs: ['projected'] },
      { op: 'Tanh', inputs: ['projected'], outputs: ['last_hidden_state'] },
    ],
  };
}

function transformerGraph(o: Required<TinyWanOptions>, rand: () => number): OnnxGraph {
  const C = o.channels;
  const D = o.hidden;
  return {
    name: 'transformer',
    inputs: [
      {
        name: 'hidden_states',
        type: 'float32',
        shape: [1, C, 'transformer_sample_frames', 'transformer_sample_height', 'transformer_sample_width'],
      },
      { name: 'timestep', type: 'float32', shape: [1] },
      { name: 'encoder_hidden_states', type: 'float32', shape: [1, 'transformer_hidden_sequence', D] },
    ],
    outputs: [
      {
        name: 'out_sample',
        type: 'float32',
        shape: [1, C, 'transformer_sample_frames', 'transformer_sample_height', 'transformer_sample_width'],
      },
    ],
    initializers: [
      floatTensor('mix_weight', [C, C, 1, 1, 1], randomValues(rand, C * C, 1 / Math.sqrt(C))),
      floatTensor('mix_bias', [C], randomValues(rand, C, 0.1)),
      floatTensor('text_weight', [D, C], randomValues(rand, D * C, 2 / Math.sqrt(D))),
      int64Tensor('token_axis', [1], [1]),
      int64Tensor('text_shape', [5], [1, C, 1, 1, 1]),
      floatTensor('per_mille', [1], [1 / 1000]),
      floatTensor('one', [1], [1]),
    ],
    nodes: [
      {
        op: 'Conv',
        inputs: ['hidden_states', 'mix_weight', 'mix_bias'],
        outputs: ['mixed'],
        attributes: { kernel_shape: { ints: [1, 1, 1] } },
      },
      { op: 'ReduceMean', inputs: ['encoder_hidden_states', 'token_axis'], outputs: ['pooled'], attributes: { keepdims: { i: 0 } } },
      { op: 'MatMul', inputs: ['pooled', 'text_weight'], outputs: ['text_bias_flat'] },
      { op: 'Reshape', inputs: ['text_bias_flat', 'text_shape'], outputs: ['text_bias'] },
      { op: 'Mul', inputs: ['timestep', 'per_mille'], outputs: ['t_scaled'] },
      { op: 'Add', inputs: ['t_scaled', 'one'], outputs: ['t_gain'] },
      { op: 'Mul', inputs: ['text_bias', 't_gain'], outputs: ['text_term'] },
      { op: 'Add', inputs: ['mixed', 'text_term'], outputs: ['pre'] },
      { op: 'Tanh', inputs: ['pre'], outputs: ['out_sample'] },
    ],
  };
}

function vaeDecoderGraph(o: Required<TinyWanOptions>, rand: () => number): OnnxGraph {
  const C = o.channels;
  const s = o.spatialScale;
  return {
    name: 'vae_decoder',
    inputs: [{ name: 'latent_sample', type: 'float32', shape: [1, C, 'frames', 'height', 'width'] }],
    outputs: [{ name: 'sample', type: 'float32', shape: [1, 3, 'frames', 'out_height', 'out_width'] }],
    initializers: [
      floatTensor('rgb_weight', [3, C, 1, 1, 1], randomValues(rand, 3 * C, 1.5 / Math.sqrt(C))),
      floatTensor('rgb_bias', [3], randomValues(rand, 3, 0.2)),
      floatTensor('scales', [5], [1, 1, 1, s, s]),
    ],
    nodes: [
      {
        op: 'Conv',
        inputs: ['latent_sample', 'rgb_weight', 'rgb_bias'],
        outputs: ['rgb'],
        attributes: { kernel_shape: { ints: [1, 1, 1] } },
      },
      { op: 'Tanh', inputs: ['rgb'], outputs: ['rgb_tanh'] },
      { op: 'Resize', inputs: ['rgb_tanh', '', 'scales'], outputs: ['sample'], attributes: { mode: { s: 'nearest' } } },
    ],
  };
}

/** The tokenizer.json (Hugging Face format, Unigram model) of the tiny vocabulary. */
export function tinyTokenizerJson(): unknown {
  return {
    version: '1.0',
    added_tokens: [
      { id: 0, content: '<pad>', special: true },
      { id: 1, content: '</s>', special: true },
      { id: 2, content: '<unk>', special: true },
    ],
    normalizer: null,
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: 2, vocab: TINY_VOCAB, byte_fallback: false },
  };
}

function writeFile(dir: string, path: string, bytes: Uint8Array): { path: string; size: number; sha256: string } {
  const file = join(dir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return { path, size: bytes.length, sha256: sha256(bytes) };
}

/** Writes the pack's graphs and tokenizer into `dir`; returns the files (no manifest written). */
export function writeTinyWanFiles(dir: string, options: TinyWanOptions = {}): { files: TinyWanFile[]; options: Required<TinyWanOptions> } {
  const o: Required<TinyWanOptions> = {
    seed: options.seed ?? 1,
    channels: options.channels ?? 16,
    hidden: options.hidden ?? 4096,
    textLength: options.textLength ?? 512,
    spatialScale: options.spatialScale ?? 8,
    opset: options.opset ?? 20,
    id: options.id ?? 'tiny-wan',
  };
  const rand = seededRandom(o.seed);
  const model = (graph: OnnxGraph): OnnxModel => ({ graph, opset: o.opset, producerName: 'klappe-tiny-wan' });
  const files: TinyWanFile[] = [];
  files.push({
    ...writeFile(dir, 'text_encoder/model.onnx', encodeOnnxModel(model(textEncoderGraph(o, rand))).model),
    role: 'text_encoder',
    graph: 'text_encoder',
  });
  const transformer = encodeOnnxModel(model(transformerGraph(o, rand)), { externalDataFile: 'model.onnx.data' });
  files.push({ ...writeFile(dir, 'transformer/model.onnx', transformer.model), role: 'transformer', graph: 'transformer' });
  files.push({ ...writeFile(dir, 'transformer/model.onnx.data', transformer.externalData!), role: 'weights', graph: 'transformer' });
  files.push({
    ...writeFile(dir, 'vae_decoder/model.onnx', encodeOnnxModel(model(vaeDecoderGraph(o, rand))).model),
    role: 'vae_decoder',
    graph: 'vae_decoder',
  });
  const tokenizer = new TextEncoder().encode(`${JSON.stringify(tinyTokenizerJson(), null, 1)}\n`);
  files.push({ ...writeFile(dir, 'tokenizer/tokenizer.json', tokenizer), role: 'tokenizer' });
  return { files, options: o };
}

/** The manifest of a tiny pack with these files. */
export function tinyWanManifest(files: TinyWanFile[], o: Required<TinyWanOptions>): TinyWanManifest {
  // Memory: weights plus latents and activations, growing with pixels × frames (made-up but monotonic).
  const weights = files.reduce((n, f) => n + f.size, 0);
  const need = (w: number, h: number, frames: number) => weights + w * h * frames * 64;
  return {
    format: 1,
    id: o.id,
    name: 'Tiny Wan (test pack)',
    version: `1.0.0-seed${o.seed}`,
    licence: 'Apache-2.0',
    pipeline: 'wan2.1-t2v',
    files,
    memory: [
      { width: 64, height: 48, frames: 9, deviceBytes: need(64, 48, 9), hostBytes: need(64, 48, 9) },
      { width: 128, height: 96, frames: 17, deviceBytes: need(128, 96, 17), hostBytes: need(128, 96, 17) },
      { width: 832, height: 480, frames: 81, deviceBytes: need(832, 480, 81), hostBytes: need(832, 480, 81) },
    ],
    defaults: { steps: 4, guidance: 5, width: 64, height: 48, fps: 16, frames: 9, shift: 3 },
    latent: { channels: o.channels, spatialScale: o.spatialScale, temporalScale: 1 },
  };
}

/** Writes a complete tiny pack (files and klappe-pack.json) into `dir`. */
export function buildTinyWanPack(dir: string, options: TinyWanOptions = {}): TinyWanPack {
  const { files, options: o } = writeTinyWanFiles(dir, options);
  const manifest = tinyWanManifest(files, o);
  writeFileSync(join(dir, 'klappe-pack.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, manifest, options: o };
}
