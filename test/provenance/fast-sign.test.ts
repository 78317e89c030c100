/**
 * The fast signing path (c2pa-wasm signs a skeleton, the media is hashed
 * natively while copied): the result validates in c2pa-wasm's Reader (BMFF
 * hash match), decodes to the same frames, for moov-last and faststart files;
 * files it does not fit go through c2pa-wasm whole.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WasmReader } from '@contentauth/c2pa-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../../engine/media/run.js';
import { bmffHashOfBytes } from '../../engine/provenance/bmff-hash.js';
import { c2pa, readerContext } from '../../engine/provenance/c2pa.js';
import { createLocalIdentity } from '../../engine/provenance/identity.js';
import type { StoredIdentity } from '../../engine/provenance/key-store.js';
import { signFileInWorker, stopSigningWorker } from '../../engine/provenance/sign-in-worker.js';
import { tempDir } from '../support/env.js';

const t = tempDir('klappe-fast-sign-');
let id: StoredIdentity;
const manifest = {
  claim_generator_info: [{ name: 'Klappe', version: 'test' }],
  title: 'clip.mp4',
  format: 'video/mp4',
  assertions: [
    {
      label: 'c2pa.actions.v2',
      data: { actions: [{ action: 'c2pa.created', digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia' }] },
    },
  ],
};

async function frames(file: string): Promise<string> {
  const r = await runTool('ffmpeg', ['-v', 'error', '-i', file, '-f', 'framemd5', '-']);
  return r.stdout.toString();
}

beforeAll(async () => {
  id = await createLocalIdentity('Fast Signer');
  await runTool('ffmpeg', [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=24:d=2', '-f', 'lavfi', '-i', 'sine=f=440:d=2',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', join(t.dir, 'last.mp4'),
  ]); // prettier-ignore
  await runTool('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-i',
    join(t.dir, 'last.mp4'),
    '-c',
    'copy',
    '-movflags',
    '+faststart',
    join(t.dir, 'first.mp4'),
  ]);
}, 120_000);

afterAll(async () => {
  await stopSigningWorker();
  t.cleanup();
});

describe('fast C2PA signing', () => {
  for (const [name, whole] of [
    ['last', false],
    ['first', false],
    ['last', true],
  ] as const) {
    it(`signs a moov-${name} MP4${whole ? ' through c2pa-wasm whole' : ''}: valid, BMFF hash match, same frames`, async () => {
      const src = join(t.dir, `${name}.mp4`);
      const file = join(t.dir, `${name}-${whole}-signed.mp4`);
      copyFileSync(src, file);
      const r = await signFileInWorker({ file, manifest, chainPem: id.chainPem, keyPem: id.keyPem, whole });
      expect(r.path).toBe(whole ? 'whole' : 'fast');
      c2pa();
      const bytes = readFileSync(file);
      const reader = await WasmReader.fromBytes('video/mp4', bytes, readerContext());
      const json = JSON.parse(reader.json()) as {
        validation_state: string;
        validation_results: { activeManifest: { success: Array<{ code: string }>; failure: unknown[] } };
      };
      reader.free();
      expect(json.validation_state).toBe('Valid');
      expect(json.validation_results.activeManifest.failure).toEqual([]);
      expect(json.validation_results.activeManifest.success.map((s) => s.code)).toContain('assertion.bmffHash.match');
      expect(r.contentHash).toBe((await bmffHashOfBytes(bytes)).toString('hex'));
      expect(await frames(file)).toBe(await frames(src));
    });
  }
});
