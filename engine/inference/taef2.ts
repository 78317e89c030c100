/**
 * TAEF2, the tiny autoencoder of the FLUX.2 latent space, as an engine
 * service: frames (RGB in [0,1], NCHW) ↔ latents (32 channels at 1/8 the
 * size). The product gets its two graphs as a model pack (pipeline `taef2`,
 * installed or imported through the model manager); each file is checked
 * against the pack's sha256 before its session is created. Used where a
 * pipeline's latent space matches (32 channels, ×8) and to preview latents.
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { inputError, KlappeError } from '../common/errors.js';
import { listModelPacks, packFile, readPackManifest, type PackManifest } from './pack-manifest.js';
import { readCheckedModel } from '../util/checked-model.js';

export const TAEF2_SCALE = 8;

export interface Taef2Files {
  encoder: { file: string; sha256: string };
  decoder: { file: string; sha256: string };
  latentChannels: number;
}

export interface Planar {
  data: Float32Array;
  /** [batch, channels, height, width] */
  dims: [number, number, number, number];
}

/** The graphs of the taef2 pack in `dir`, from its manifest. */
export function taef2FilesFromPack(dir: string, manifest: PackManifest = readPackManifest(dir)): Taef2Files {
  const enc = packFile(manifest, 'latent_encoder');
  const dec = packFile(manifest, 'latent_decoder');
  if (manifest.pipeline !== 'taef2' || !enc || !dec)
    throw inputError('PACK_WRONG_KIND', `the pack ${manifest.id} is a ${manifest.pipeline} pack, not a taef2 pack`, { file: dir });
  return {
    encoder: { file: join(dir, enc.path), sha256: enc.sha256 },
    decoder: { file: join(dir, dec.path), sha256: dec.sha256 },
    latentChannels: manifest.latent?.channels ?? 32,
  };
}

/** The first installed taef2 pack in the local model folder, or an error saying how to install one. */
export function findTaef2Pack(root: string): Taef2Files {
  const p = listModelPacks(root).find((x) => x.ok && x.manifest.pipeline === 'taef2');
  if (!p || !p.ok)
    throw new KlappeError({
      code: 'PACK_NOT_INSTALLED',
      message: `no TAEF2 pack is installed in ${root}`,
      hint: 'Install it with `klappe models install URL` (or `klappe models import DIR --kind taef2` for a folder with taef2_encoder.onnx and taef2_decoder.onnx).',
    });
  return taef2FilesFromPack(p.dir, p.manifest);
}

export class Taef2 {
  private constructor(
    private readonly encoder: ort.InferenceSession,
    private readonly decoder: ort.InferenceSession,
    readonly latentChannels: number,
  ) {}

  static async load(files: Taef2Files, options: ort.InferenceSession.SessionOptions = {}): Promise<Taef2> {
    const encoder = await ort.InferenceSession.create(
      readCheckedModel(files.encoder.file, files.encoder.sha256, 'the TAEF2 encoder model', 'Install the TAEF2 pack again.'),
      options,
    );
    try {
      const decoder = await ort.InferenceSession.create(
        readCheckedModel(files.decoder.file, files.decoder.sha256, 'the TAEF2 decoder model', 'Install the TAEF2 pack again.'),
        options,
      );
      return new Taef2(encoder, decoder, files.latentChannels);
    } catch (e) {
      await encoder.release();
      throw e;
    }
  }

  /** Images [B,3,H,W] in [0,1] (H and W multiples of 8) → latents [B,C,H/8,W/8]. */
  async encode(image: Planar): Promise<Planar> {
    const [b, c, h, w] = image.dims;
    if (c !== 3 || h % TAEF2_SCALE || w % TAEF2_SCALE)
      throw inputError('TAEF2_SIZE', `TAEF2 encodes RGB images whose sides are multiples of ${TAEF2_SCALE}, not ${c}×${h}×${w}`, {
        path: 'image',
      });
    const out = await this.encoder.run({ [this.encoder.inputNames[0]!]: new ort.Tensor('float32', image.data, [b, c, h, w]) });
    return toPlanar(out[this.encoder.outputNames[0]!]!);
  }

  /** Latents [B,C,h,w] → images [B,3,8h,8w] in [0,1]. */
  async decode(latent: Planar): Promise<Planar> {
    const [b, c, h, w] = latent.dims;
    if (c !== this.latentChannels)
      throw inputError('TAEF2_CHANNELS', `TAEF2 decodes latents of ${this.latentChannels} channels, not ${c}`, { path: 'latent' });
    const out = await this.decoder.run({ [this.decoder.inputNames[0]!]: new ort.Tensor('float32', latent.data, [b, c, h, w]) });
    return toPlanar(out[this.decoder.outputNames[0]!]!);
  }

  async release(): Promise<void> {
    await this.encoder.release();
    await this.decoder.release();
  }
}

function toPlanar(t: ort.Tensor): Planar {
  const d = t.dims;
  return { data: t.data as Float32Array, dims: [d[0]!, d[1]!, d[2]!, d[3]!] };
}

/** Packed RGB bytes (rgb24) → one planar image in [0,1]. */
export function rgbToPlanar(rgb: Uint8Array, width: number, height: number): Planar {
  const n = width * height;
  const data = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    data[i] = rgb[i * 3]! / 255;
    data[n + i] = rgb[i * 3 + 1]! / 255;
    data[2 * n + i] = rgb[i * 3 + 2]! / 255;
  }
  return { data, dims: [1, 3, height, width] };
}

/** The first image of a planar batch in [0,1] → packed RGB bytes. */
export function planarToRgb(image: Planar): Uint8Array {
  const [, , h, w] = image.dims;
  const n = w * h;
  const out = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 3; c++) {
      const v = image.data[c * n + i]! * 255 + 0.5;
      out[i * 3 + c] = v <= 0 ? 0 : v >= 255 ? 255 : v;
    }
  return out;
}
