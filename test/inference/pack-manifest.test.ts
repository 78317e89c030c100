/** The pack manifest: a valid one round-trips; a bad one names the file and the field. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KlappeError } from '../../engine/common/errors.js';
import {
  PACK_MANIFEST,
  listModelPacks,
  memoryFor,
  parsePackManifest,
  readPackManifest,
  writePackManifest,
  type PackManifestInput,
} from '../../engine/inference/pack-manifest.js';
import { tempDir } from '../support/env.js';

const t = tempDir('klappe-pack-manifest-');
afterAll(() => t.cleanup());

const hash = 'ab'.repeat(32);
const wan: PackManifestInput = {
  format: 1,
  id: 'wan2.1-t2v-1.3b',
  version: '1.0.0',
  licence: 'Apache-2.0',
  pipeline: 'wan2.1-t2v',
  files: [
    { path: 'text_encoder/model.onnx', size: 10, sha256: hash, role: 'text_encoder' },
    { path: 'transformer/model.onnx', size: 20, sha256: hash, role: 'transformer' },
    { path: 'vae_decoder/model.onnx', size: 30, sha256: hash, role: 'vae_decoder' },
    { path: 'tokenizer/spiece.model', size: 5, sha256: hash, role: 'tokenizer' },
  ],
  memory: [
    { width: 832, height: 480, frames: 81, deviceBytes: 8e9 },
    { width: 480, height: 272, frames: 81, deviceBytes: 5e9 },
  ],
  defaults: { steps: 30, guidance: 5, width: 832, height: 480, fps: 16 },
};

function errorOf(f: () => unknown): KlappeError {
  try {
    f();
  } catch (e) {
    return e as KlappeError;
  }
  throw new Error('no error');
}

describe('pack manifest', () => {
  it('writes, reads and lists a valid manifest', () => {
    const dir = join(t.dir, 'root', 'wan');
    mkdirSync(dir, { recursive: true });
    writePackManifest(dir, wan);
    const m = readPackManifest(dir);
    expect(m.id).toBe('wan2.1-t2v-1.3b');
    expect(m.files).toHaveLength(4);
    mkdirSync(join(t.dir, 'root', '.partial-x'), { recursive: true });
    writeFileSync(join(t.dir, 'root', '.partial-x', PACK_MANIFEST), '{}');
    mkdirSync(join(t.dir, 'root', 'broken'), { recursive: true });
    writeFileSync(join(t.dir, 'root', 'broken', PACK_MANIFEST), '{"format":1');
    const list = listModelPacks(join(t.dir, 'root'));
    expect(list.map((p) => [p.folder, p.ok])).toEqual([
      ['broken', false],
      ['wan', true],
    ]);
  });

  it('names the file and the field of a bad value', () => {
    const bad = { ...wan, files: [{ ...wan.files[0]!, sha256: 'xyz' }, ...wan.files.slice(1)] };
    const e = errorOf(() => parsePackManifest(bad, '/p/klappe-pack.json'));
    expect(e.code).toBe('PACK_MANIFEST_INVALID');
    expect(e.file).toBe('/p/klappe-pack.json');
    expect(e.path).toBe('files[0].sha256');
    expect(e.message).toContain('/p/klappe-pack.json: files[0].sha256');
  });

  it('refuses paths that leave the pack, duplicate files and missing roles or defaults', () => {
    const escape = { ...wan, files: [...wan.files, { path: '../etc/passwd', size: 1, sha256: hash, role: 'weights' }] };
    expect(errorOf(() => parsePackManifest(escape)).path).toBe('files[4].path');
    const dup = { ...wan, files: [...wan.files, wan.files[0]!] };
    expect(errorOf(() => parsePackManifest(dup)).message).toContain('listed twice');
    const noTok = { ...wan, files: wan.files.slice(0, 3) };
    expect(errorOf(() => parsePackManifest(noTok)).message).toContain('role tokenizer');
    const noSteps = { ...wan, defaults: { guidance: 5, width: 832, height: 480, fps: 16 } };
    expect(errorOf(() => parsePackManifest(noSteps)).path).toBe('defaults.steps');
  });

  it('finds the memory entry covering a size', () => {
    const m = parsePackManifest(wan);
    expect(memoryFor(m, 480, 272, 49)?.deviceBytes).toBe(5e9);
    expect(memoryFor(m, 640, 360)?.deviceBytes).toBe(8e9);
    expect(memoryFor(m, 1280, 720)).toBeUndefined();
  });
});
