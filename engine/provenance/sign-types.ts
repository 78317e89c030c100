/** What a signing job is given and answers (the signing worker, or this thread: sign-in-worker.ts, sign-job.ts). */
export interface IngredientFile {
  /** Ingredient definition (title, relationship, instance_id…). */
  json: Record<string, unknown>;
  file: string;
  format: string;
}

export interface SignFileRequest {
  file: string;
  manifest: Record<string, unknown>;
  chainPem: string;
  keyPem: string;
  /** Ingredients the builder reads from their files, so each brings its own manifest. */
  ingredientFiles?: IngredientFile[];
  /** Sign through c2pa-wasm with the whole file (the way before the fast path; the benchmark compares them). */
  whole?: boolean;
}

export interface SignFileResult {
  bytesIn: number;
  bytesOut: number;
  ms: number;
  /** The manifest store alone (JUMBF). */
  manifest: Uint8Array;
  /** The C2PA BMFF hash of the signed file (sha256, hex): what its manifest binds, the manifest store's file key. */
  contentHash: string;
  /** `fast`: skeleton signed by c2pa-wasm, media hashed natively; `whole`: the file through c2pa-wasm. */
  path: 'fast' | 'whole';
  /** Where the time went, ms. */
  timings: Record<string, number>;
}
