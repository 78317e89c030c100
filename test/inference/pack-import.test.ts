/**
 * Graph signatures read from the ModelProto agree with onnxruntime's
 * metadata; `importPack` adopts a folder in the Wan layout (the tiny pack)
 * and the TAEF2 models, and refuses a wrong signature naming graph and input.
 */
import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { KlappeError } from '../../engine/common/errors.js';
import { encodeOnnxModel } from '../../engine/inference/onnx-writer.js';
import { readGraphSignature } from '../../engine/inference/onnx-signature.js';
import { detectLayout, importPack } from '../../engine/inference/pack-import.js';
import { findModelPacks, readPackManifest } from '../../engine/inference/pack-manifest.js';
import { verifyPack } from '../../engine/inference/pack-verify.js';
import { SHARED_MODELS, sharedAvailable, tempDir } from '../support/env.js';

const shared = sharedAvailable('tests on the shared models');
import { writeTinyWanFiles } from '../support/tiny-wan-pack.js';

const t = tempDir('klappe-pack-import-');
afterAll(() => t.cleanup());

async function failure(p: Promise<unknown>): Promise<KlappeError> {
  try {
    await p;
  } catch (e) {
    return e as KlappeError;
  }
  throw new Error('no error');
}

describe.skipIf(!shared)('graph signatures', () => {
  it.each([
    'super_resolution/superres_subpixel_x3.onnx',
    'tiny_vae/taef2_decoder.onnx',
    'face_detection/yunet_s_dynamic.onnx',
    'vad/silero_vad_v5.onnx',
  ])('match onnxruntime for %s', async (rel) => {
    const path = join(SHARED_MODELS, rel);
    const sig = readGraphSignature(path);
    const s = await ort.InferenceSession.create(path);
    try {
      const strip = (v: { name: string; type: string; shape?: Array<number | string> }) => ({ name: v.name, type: v.type, shape: v.shape });
      const meta = (m: readonly ort.InferenceSession.ValueMetadata[]) =>
        m.map((v) => (v.isTensor ? { name: v.name, type: v.type, shape: [...v.shape] } : { name: v.name }));
      expect(sig.inputs.map(strip)).toEqual(meta(s.inputMetadata));
      expect(sig.outputs.map(strip)).toEqual(meta(s.outputMetadata));
    } finally {
      await s.release();
    }
  });
});

describe('importPack', () => {
  it('adopts a folder in the Wan layout, writing a manifest with every file hashed', async () => {
    const src = join(t.dir, 'my-wan');
    writeTinyWanFiles(src, { hidden: 32, textLength: 16 });
    writeFileSync(join(src, 'README.md'), 'converted with Olive\n');
    expect(detectLayout(src)).toBe('wan2.1-t2v');
    const r = await importPack(src, { root: join(t.dir, 'root') });
    expect(findModelPacks(join(t.dir, 'root'))).toEqual(['my-wan']);
    const m = readPackManifest(r.dir);
    expect(m.pipeline).toBe('wan2.1-t2v');
    expect(m.latent?.channels).toBe(16);
    expect(Object.fromEntries(m.files.map((f) => [f.path, f.role]))).toEqual({
      'README.md': 'config',
      'text_encoder/model.onnx': 'text_encoder',
      'tokenizer/tokenizer.json': 'tokenizer',
      'transformer/model.onnx': 'transformer',
      'transformer/model.onnx.data': 'weights',
      'vae_decoder/model.onnx': 'vae_decoder',
    });
    expect(m.files.find((f) => f.path === 'transformer/model.onnx.data')?.graph).toBe('transformer');
    expect(m.memory.length).toBeGreaterThan(0);
    expect(r.signatures.transformer!.opset).toBe(20);
    expect((await verifyPack(join(t.dir, 'root'), 'my-wan')).problems).toEqual([]);
    expect(existsSync(join(src, 'klappe-pack.json'))).toBe(false);
  });

  it('refuses a transformer without a timestep input, naming the graph and the input', async () => {
    const src = join(t.dir, 'bad-wan');
    writeTinyWanFiles(src, { hidden: 32, textLength: 16 });
    const graph = {
      name: 'transformer',
      inputs: [
        { name: 'hidden_states', type: 'float32' as const, shape: [1, 16, 'f', 'h', 'w'] },
        { name: 't', type: 'float32' as const, shape: [1] },
        { name: 'encoder_hidden_states', type: 'float32' as const, shape: [1, 'n', 32] },
      ],
      outputs: [{ name: 'out_sample', type: 'float32' as const, shape: [1, 16, 'f', 'h', 'w'] }],
      nodes: [{ op: 'Identity', inputs: ['hidden_states'], outputs: ['out_sample'] }],
    };
    writeFileSync(join(src, 'transformer', 'model.onnx'), encodeOnnxModel({ graph }).model);
    const e = await failure(importPack(src, { root: join(t.dir, 'root2') }));
    expect(e.code).toBe('PACK_GRAPH_SIGNATURE');
    expect(e.message).toMatch(
      /^transformer \(.*transformer\/model\.onnx\): has no input timestep \(its inputs: hidden_states:float32\[1,16,f,h,w\], t:float32\[1\]/,
    );
    expect(e.path).toBe('transformer');
    expect(existsSync(join(t.dir, 'root2')) ? readdirSync(join(t.dir, 'root2')) : []).toEqual([]);
  });

  it('refuses a latent of the wrong rank and a decoder of another model', async () => {
    const src = join(t.dir, 'bad-rank');
    writeTinyWanFiles(src, { hidden: 32, textLength: 16 });
    const dec = (shape: Array<number | string>) => ({
      name: 'vae_decoder',
      inputs: [{ name: 'latent_sample', type: 'float32' as const, shape }],
      outputs: [{ name: 'sample', type: 'float32' as const, shape: [1, 3, 'f', 'h', 'w'] }],
      nodes: [{ op: 'Identity', inputs: ['latent_sample'], outputs: ['sample'] }],
    });
    writeFileSync(join(src, 'vae_decoder', 'model.onnx'), encodeOnnxModel({ graph: dec([1, 16, 'h', 'w']) }).model);
    let e = await failure(importPack(src, { root: join(t.dir, 'root3') }));
    expect(e.message).toMatch(/^vae_decoder \(.*\): input latent_sample has rank 4 \(latent_sample:float32\[1,16,h,w\]\), expected 5/);
    writeFileSync(join(src, 'vae_decoder', 'model.onnx'), encodeOnnxModel({ graph: dec([1, 48, 'f', 'h', 'w']) }).model);
    e = await failure(importPack(src, { root: join(t.dir, 'root3') }));
    expect(e.message).toMatch(/input latent_sample has 48 channels, the transformer's hidden_states 16/);
  });

  it.skipIf(!shared)('adopts the TAEF2 encoder and decoder as a taef2 pack', async () => {
    const src = join(t.dir, 'taef2');
    cpSync(join(SHARED_MODELS, 'tiny_vae'), src, { recursive: true });
    const r = await importPack(src, { root: join(t.dir, 'root4'), id: 'taef2' });
    expect(r.manifest.pipeline).toBe('taef2');
    expect(r.manifest.latent).toEqual({ channels: 32, spatialScale: 8 });
    expect(r.manifest.files.map((f) => [f.path, f.role])).toEqual([
      ['taef2_decoder.onnx', 'latent_decoder'],
      ['taef2_encoder.onnx', 'latent_encoder'],
    ]);
  });
});
