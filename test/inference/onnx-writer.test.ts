import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeOnnxModel, floatTensor } from '../../engine/inference/onnx-writer.js';
import { buildTinyWanPack } from '../support/tiny-wan-pack.js';

const dir = mkdtempSync(join(tmpdir(), 'klappe-onnx-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ONNX writer', () => {
  it('writes nodes with float, int, ints and string attributes that onnxruntime runs', async () => {
    const { model } = encodeOnnxModel({
      graph: {
        name: 'attrs',
        inputs: [{ name: 'x', type: 'float32', shape: ['n', 3] }],
        outputs: [{ name: 'y', type: 'float32', shape: [3, 'n'] }],
        initializers: [floatTensor('w', [3], [1, 2, 3])],
        nodes: [
          { op: 'Mul', inputs: ['x', 'w'], outputs: ['xw'] },
          { op: 'LeakyRelu', inputs: ['xw'], outputs: ['lr'], attributes: { alpha: { f: 0.5 } } },
          { op: 'Transpose', inputs: ['lr'], outputs: ['y'], attributes: { perm: { ints: [1, 0] } } },
        ],
      },
    });
    const file = join(dir, 'attrs.onnx');
    writeFileSync(file, model);
    const s = await ort.InferenceSession.create(file);
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, -1, 2, -2, 0, 4]), [2, 3]) });
    expect(out.y!.dims).toEqual([3, 2]);
    expect(Array.from(out.y!.data as Float32Array)).toEqual([1, -1, -1, 0, 6, 12]);
  });

  it('stores large initializers as external data next to the model', async () => {
    const values = Array.from({ length: 600 }, (_, i) => i / 100);
    const { model, externalData } = encodeOnnxModel(
      {
        graph: {
          name: 'ext',
          inputs: [{ name: 'x', type: 'float32', shape: [600] }],
          outputs: [{ name: 'y', type: 'float32', shape: [600] }],
          initializers: [floatTensor('big', [600], values)],
          nodes: [{ op: 'Add', inputs: ['x', 'big'], outputs: ['y'] }],
        },
      },
      { externalDataFile: 'ext.onnx.data' },
    );
    expect(externalData!.length).toBe(2400);
    writeFileSync(join(dir, 'ext.onnx'), model);
    writeFileSync(join(dir, 'ext.onnx.data'), externalData!);
    const s = await ort.InferenceSession.create(join(dir, 'ext.onnx'));
    const out = await s.run({ x: new ort.Tensor('float32', new Float32Array(600).fill(1), [600]) });
    expect((out.y!.data as Float32Array)[599]).toBeCloseTo(6.99, 5);
  });

  it('builds the tiny Wan pack with the layout’s graph names, inputs and outputs', async () => {
    const pack = buildTinyWanPack(join(dir, 'tiny'), { hidden: 32 });
    const open = (p: string) => ort.InferenceSession.create(join(pack.dir, p));
    const te = await open('text_encoder/model.onnx');
    expect(te.inputNames).toEqual(['input_ids']);
    expect(te.outputNames).toEqual(['last_hidden_state']);
    const tr = await open('transformer/model.onnx');
    expect(tr.inputNames).toEqual(['hidden_states', 'timestep', 'encoder_hidden_states']);
    expect(tr.outputNames).toEqual(['out_sample']);
    const vd = await open('vae_decoder/model.onnx');
    expect(vd.inputNames).toEqual(['latent_sample']);
    expect(vd.outputNames).toEqual(['sample']);
    const ids = new BigInt64Array(512);
    const text = (await te.run({ input_ids: new ort.Tensor('int64', ids, [1, 512]) })).last_hidden_state!;
    expect(text.dims).toEqual([1, 512, 32]);
    const latent = new ort.Tensor('float32', new Float32Array(16 * 2 * 3 * 5), [1, 16, 2, 3, 5]);
    const v = (
      await tr.run({ hidden_states: latent, timestep: new ort.Tensor('float32', Float32Array.of(999), [1]), encoder_hidden_states: text })
    ).out_sample!;
    expect(v.dims).toEqual([1, 16, 2, 3, 5]);
    const frames = (await vd.run({ latent_sample: v })).sample!;
    expect(frames.dims).toEqual([1, 3, 2, 24, 40]);
    expect(pack.manifest.files.map((f) => f.path)).toContain('transformer/model.onnx.data');
  });
});
