/**
 * @contentauth/c2pa-wasm in Node: loaded once per thread with initSync, plus
 * the two browser pieces its signer reads through (FileReaderSync and a
 * Blob-like {size, slice}) over an in-memory buffer.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync, WasmBuilder, WasmReader } from '@contentauth/c2pa-wasm';

const require = createRequire(import.meta.url);
let ready = false;

/** c2pa-wasm for this thread; `module` is an already compiled c2pa.wasm (a signing worker gets it from its parent). */
export function c2pa(module?: WebAssembly.Module): { WasmBuilder: typeof WasmBuilder; WasmReader: typeof WasmReader } {
  if (!ready) {
    const g = globalThis as Record<string, unknown>;
    if (!g.FileReaderSync) g.FileReaderSync = FileReaderSyncPolyfill;
    initSync({ module: module ?? readFileSync(require.resolve('@contentauth/c2pa-wasm/c2pa.wasm')) });
    ready = true;
  }
  return { WasmBuilder, WasmReader };
}

/** A read-only Blob over bytes: enough for c2pa-wasm's reads. */
export class BytesBlob {
  constructor(readonly bytes: Uint8Array) {}
  get size(): number {
    return this.bytes.length;
  }
  slice(start = 0, end = this.bytes.length): BytesBlob {
    return new BytesBlob(this.bytes.subarray(start, Math.min(end, this.bytes.length)));
  }
}

class FileReaderSyncPolyfill {
  readAsArrayBuffer(blob: BytesBlob): ArrayBuffer {
    const b = blob.bytes;
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
}

/** Reader settings: trust anchors (PEM) when given, no network. */
export function readerContext(trustPem?: string): string {
  const settings: Record<string, unknown> = { verify: { verify_trust: !!trustPem, remote_manifest_fetch: false, ocsp_fetch: false } };
  if (trustPem) settings.trust = { user_anchors: trustPem };
  return JSON.stringify(settings);
}
