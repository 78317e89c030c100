/**
 * Signing a large MP4 without c2pa-wasm reading its media: c2pa-wasm copies
 * the whole file into wasm memory and hashes it there, several times slower
 * than a native sha256. Here c2pa-wasm signs a skeleton of the file (every
 * top-level box as it is, the media data box `mdat` empty), which gives the
 * manifest, its place (a `uuid` box after `ftyp`) and the chunk offsets it
 * moved. The real file is then written once with that layout while its BMFF
 * hash is computed natively in the same pass; the hash goes into the
 * c2pa.hash.bmff.v3 assertion, the claim's hashed URI of that assertion is
 * updated, and the claim is signed again. Every patch keeps its length, so
 * the layout c2pa-rs chose stays valid. Files this does not fit (fragmented,
 * several `mdat`, already signed) go through c2pa-wasm whole.
 */
import { createHash, webcrypto } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { boxesIn, topLevelBoxes } from '../media/bmff-box.js';
import { C2PA_UUID } from './bmff.js';
import { bmffHashOfBytes, hashBox } from './bmff-hash.js';
import { importPkcs8Pem, parseChainPem } from './certificates.js';
import { coseSign1 } from './cose.js';
import { jumbAt, jumbBoxes } from './jumbf.js';
import { signAsset, type IngredientAsset } from './sign-asset.js';

export interface FastSignRequest {
  file: string;
  out: string;
  manifest: Record<string, unknown>;
  chainPem: string;
  keyPem: string;
  ingredients?: IngredientAsset[];
}

export interface FastSignResult {
  manifest: Uint8Array;
  /** The BMFF hash the manifest binds (hex). */
  contentHash: string;
  bytesIn: number;
  bytesOut: number;
  timings: { skeleton: number; copyAndHash: number; patch: number };
}

const CHUNK = 2 << 20;

/** True when the file has the plain shape the fast path handles. */
function fits(boxes: ReturnType<typeof topLevelBoxes>): boolean {
  const mdats = boxes.filter((b) => b.type === 'mdat').length;
  return (
    mdats === 1 &&
    boxes[0]?.type === 'ftyp' &&
    boxes.some((b) => b.type === 'moov') &&
    !boxes.some((b) => b.type === 'moof' || (b.type === 'uuid' && b.uuid === C2PA_UUID))
  );
}

export async function signFileFast(req: FastSignRequest): Promise<FastSignResult | undefined> {
  const boxes = topLevelBoxes(req.file);
  if (!fits(boxes)) return undefined;
  const t0 = performance.now();
  const fd = openSync(req.file, 'r');
  let out: FileHandle | undefined;
  try {
    const read = (offset: number, length: number) => {
      const b = Buffer.allocUnsafe(length);
      let n = 0;
      while (n < length) {
        const r = readSync(fd, b, n, length - n, offset + n);
        if (r === 0) throw new Error(`${req.file} ended early`);
        n += r;
      }
      return b;
    };
    // the skeleton: every box but the media data, which is an empty mdat
    const mdat = boxes.find((b) => b.type === 'mdat')!;
    const parts = boxes.map((b) => (b === mdat ? Buffer.from([0, 0, 0, 8, 0x6d, 0x64, 0x61, 0x74]) : read(b.offset, b.size)));
    const skeleton = Buffer.concat(parts);
    const signed = await signAsset({
      bytes: skeleton,
      manifest: req.manifest,
      chainPem: req.chainPem,
      keyPem: req.keyPem,
      ingredients: req.ingredients,
    });
    const asset = Buffer.from(signed.asset.buffer, signed.asset.byteOffset, signed.asset.byteLength);
    const jumbf = Buffer.from(signed.manifest);
    const sBoxes = boxesIn(asset);
    const sMdat = sBoxes.filter((b) => b.type === 'mdat');
    const uuidBox = sBoxes.find((b) => b.type === 'uuid' && b.uuid === C2PA_UUID);
    if (sMdat.length !== 1 || sMdat[0]!.size !== 8 || !uuidBox) return undefined;
    const jumbfAt = asset.indexOf(jumbf.subarray(0, 64), uuidBox.offset);
    if (jumbfAt < 0 || jumbfAt + jumbf.length > uuidBox.offset + uuidBox.size) return undefined;
    const skeletonHash = await bmffHashOfBytes(asset);
    const t1 = performance.now();

    // the real file: the signed skeleton's boxes, the real mdat in place of the empty one, hashed as written
    out = await open(req.out, 'w');
    let pos = 0;
    const h = createHash('sha256');
    const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
    for (const b of sBoxes) {
      if (b.type !== 'mdat') {
        const bytes = asset.subarray(b.offset, b.offset + b.size);
        await hashBox(h, { ...b, offset: pos }, (x) => void x.update(bytes));
        await out.write(bytes, 0, bytes.length, pos);
        pos += bytes.length;
        continue;
      }
      // the media data: read, written (asynchronously, on libuv's threads) and hashed chunk by chunk, two buffers in turn
      const start = pos;
      await hashBox(h, { type: 'mdat', offset: start, size: mdat.size }, async (x) => {
        let pending: Promise<unknown> | undefined;
        for (let o = 0, i = 0; o < mdat.size; i++) {
          const buf = bufs[i % 2]!;
          const n = readSync(fd, buf, 0, Math.min(CHUNK, mdat.size - o), mdat.offset + o);
          if (n === 0) throw new Error(`${req.file} ended early`);
          const chunk = buf.subarray(0, n);
          const writing = out!.write(chunk, 0, n, start + o);
          x.update(chunk);
          await pending;
          pending = writing;
          o += n;
        }
        await pending;
      });
      pos += mdat.size;
    }
    const contentHash = h.digest();
    const t2 = performance.now();

    // the manifest: the real hash in the BMFF hash assertion, its hashed URI in the claim, the claim signed again
    const manifests = jumbBoxes(jumbf, 8, jumbf.length);
    const active = manifests[manifests.length - 1]!;
    const label = active.label;
    const hashBoxJ = jumbAt(jumbf, ['c2pa', label, 'c2pa.assertions', 'c2pa.hash.bmff.v3']);
    const claimJ = jumbAt(jumbf, ['c2pa', label, 'c2pa.claim*']);
    const sigJ = jumbAt(jumbf, ['c2pa', label, 'c2pa.signature']);
    const claimCbor = claimJ?.children.find((c) => c.type === 'cbor');
    const sigCbor = sigJ?.children.find((c) => c.type === 'cbor');
    if (!hashBoxJ || !claimCbor || !sigCbor) throw new Error('the manifest has no BMFF hash, claim or signature box');
    const oldUri = createHash('sha256')
      .update(jumbf.subarray(hashBoxJ.offset + 8, hashBoxJ.offset + hashBoxJ.size))
      .digest();
    replaceOnce(jumbf, skeletonHash, contentHash, hashBoxJ.offset, hashBoxJ.offset + hashBoxJ.size, 'the BMFF hash');
    const newUri = createHash('sha256')
      .update(jumbf.subarray(hashBoxJ.offset + 8, hashBoxJ.offset + hashBoxJ.size))
      .digest();
    const claimStart = claimCbor.offset + 8;
    const claimEnd = claimCbor.offset + claimCbor.size;
    replaceOnce(jumbf, oldUri, newUri, claimStart, claimEnd, "the claim's hashed URI");
    const key = await importPkcs8Pem(req.keyPem, 'signing key');
    const chainDer = parseChainPem(req.chainPem, 'signing chain').map((c) => new Uint8Array(c.rawData));
    const sigSize = sigCbor.size - 8;
    const cose = await coseSign1(jumbf.subarray(claimStart, claimEnd), key as webcrypto.CryptoKey, chainDer, sigSize);
    jumbf.set(cose, sigCbor.offset + 8);
    await out.write(jumbf, 0, jumbf.length, jumbfAt);
    const t3 = performance.now();
    return {
      manifest: new Uint8Array(jumbf),
      contentHash: contentHash.toString('hex'),
      bytesIn: boxes.reduce((n, b) => n + b.size, 0),
      bytesOut: pos,
      timings: { skeleton: t1 - t0, copyAndHash: t2 - t1, patch: t3 - t2 },
    };
  } finally {
    closeSync(fd);
    await out?.close();
  }
}

function replaceOnce(buf: Buffer, from: Buffer, to: Buffer, start: number, end: number, what: string): void {
  const at = buf.indexOf(from, start);
  if (at < 0 || at + from.length > end || (buf.indexOf(from, at + 1) !== -1 && buf.indexOf(from, at + 1) < end))
    throw new Error(`cannot find ${what} in the manifest`);
  to.copy(buf, at);
}
