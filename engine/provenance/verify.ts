/**
 * `klappe verify`: the C2PA manifest (present? valid / trusted / invalid with
 * the C2PA status codes, signer, generator, actions, ingredients with their
 * own manifests, the Klappe assertion) and the invisible watermark (payload,
 * and whether it matches the manifest's export id). A file whose manifest was
 * stripped is identified by its watermark, and its manifest recovered from the
 * local manifest store (durable credentials).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultManifestStoreDir, MANIFEST_DB, ManifestStore, type StoredManifest } from '../cache/manifest-store.js';
import { inputError } from '../common/errors.js';
import { bmffHashOfBytes } from './bmff-hash.js';
import { c2pa, readerContext } from './c2pa.js';
import { readInvisibleWatermark, type WatermarkReading } from './invisible-watermark.js';
import { KLAPPE_ASSERTION } from './manifest.js';

export type ValidationState = 'valid' | 'trusted' | 'invalid';

export interface StatusCode {
  code: string;
  explanation?: string;
  url?: string;
}

export interface ManifestReport {
  present: boolean;
  state?: ValidationState;
  failures: StatusCode[];
  successes: string[];
  informational: StatusCode[];
  signer?: { issuer?: string; commonName?: string; time?: string; alg?: string };
  claimGenerator?: string;
  title?: string;
  actions: Array<{ action: string; digitalSourceType?: string; description?: string }>;
  ingredients: IngredientReport[];
  klappe?: { exportId?: string; creator?: string; takes?: unknown[]; promptsIncluded?: boolean };
  error?: string;
}

/** An ingredient of the manifest and, when it brought one, its own manifest. */
export interface IngredientReport {
  title?: string;
  format?: string;
  relationship?: string;
  /** Validation of the ingredient's own manifest as recorded and re-checked: 'none' when it has none. */
  state: 'valid' | 'invalid' | 'none';
  failures?: string[];
  manifest?: {
    claimGenerator?: string;
    signer?: string;
    /** The generator its `c2pa.created` action names (software agent), and the digital source type. */
    generator?: string;
    digitalSourceType?: string;
  };
}

export interface RecoveredManifest {
  /** How the stored manifest was found: the invisible watermark's export id, or the file's hash (its BMFF hash). */
  from: 'watermark' | 'file-hash';
  /** The manifest store file it came from. */
  store: string;
  exportId: string;
  title: string;
  signedAt: string;
  /** The stored manifest, validated on its own (its signature and assertions; its hash binding is to the original file, not this copy). */
  manifest: ManifestReport;
}

export interface VerifyReport {
  file: string;
  manifest: ManifestReport;
  watermark?: WatermarkReading & { matchesManifest?: boolean };
  /** The manifest found again in the local manifest store when the file carries none. */
  recovered?: RecoveredManifest;
  /** One-line conclusion for people. */
  summary: string;
}

interface StoreJson {
  active_manifest?: string;
  manifests?: Record<
    string,
    {
      claim_generator_info?: Array<{ name: string; version?: string }>;
      claim_generator?: string;
      title?: string;
      assertions?: Array<{ label: string; data: Record<string, unknown> }>;
      ingredients?: Array<{
        title?: string;
        format?: string;
        relationship?: string;
        active_manifest?: string;
        label?: string;
        validation_results?: { activeManifest?: { failure?: StatusCode[] } };
        validation_status?: StatusCode[];
      }>;
      signature_info?: { issuer?: string; common_name?: string; time?: string; alg?: string };
    }
  >;
  validation_state?: string;
  validation_results?: {
    activeManifest?: { success?: StatusCode[]; informational?: StatusCode[]; failure?: StatusCode[] };
    ingredientDeltas?: Array<{ ingredientAssertionURI: string; validationDeltas?: { failure?: StatusCode[] } }>;
  };
  validation_status?: StatusCode[];
}

type ManifestJson = NonNullable<StoreJson['manifests']>[string];

function generatorOf(m: ManifestJson | undefined): IngredientReport['manifest'] {
  if (!m) return undefined;
  const gen = m.claim_generator_info?.[0];
  const created = (
    m.assertions?.find((a) => a.label.startsWith('c2pa.actions'))?.data as
      { actions?: Array<{ action: string; digitalSourceType?: string; softwareAgent?: { name?: string } | string }> } | undefined
  )?.actions?.find((a) => a.action === 'c2pa.created');
  const agent = created?.softwareAgent;
  return {
    claimGenerator: gen ? `${gen.name}${gen.version ? `/${gen.version}` : ''}` : m.claim_generator,
    signer: m.signature_info?.common_name ?? m.signature_info?.issuer,
    ...(agent ? { generator: typeof agent === 'string' ? agent : agent.name } : {}),
    ...(created?.digitalSourceType ? { digitalSourceType: created.digitalSourceType } : {}),
  };
}

/** Reads and validates the manifest of MP4 bytes (or, with format `application/c2pa`, a manifest store on its own). */
export async function readManifest(bytes: Uint8Array, trustPem?: string, format = 'video/mp4'): Promise<ManifestReport> {
  const { WasmReader } = c2pa();
  const empty: ManifestReport = { present: false, failures: [], successes: [], informational: [], actions: [], ingredients: [] };
  let json: StoreJson;
  try {
    const reader = await WasmReader.fromBytes(format, bytes, readerContext(trustPem));
    json = JSON.parse(reader.json()) as StoreJson;
    reader.free();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/JumbfNotFound|not found|no manifest|ManifestNotFound/i.test(msg)) return empty;
    return { ...empty, present: true, state: 'invalid', error: msg, failures: [{ code: 'manifest.unreadable', explanation: msg }] };
  }
  const active = json.active_manifest ? json.manifests?.[json.active_manifest] : undefined;
  if (!active) return empty;
  const results = json.validation_results?.activeManifest;
  const failures = results?.failure ?? json.validation_status ?? [];
  const successes = (results?.success ?? []).map((s) => s.code);
  const raw = (json.validation_state ?? '').toLowerCase();
  const state: ValidationState = failures.length || raw === 'invalid' ? 'invalid' : raw === 'trusted' ? 'trusted' : 'valid';
  const actionsData = active.assertions?.find((a) => a.label.startsWith('c2pa.actions'))?.data as
    { actions?: ManifestReport['actions'] } | undefined;
  const klappe = active.assertions?.find((a) => a.label === KLAPPE_ASSERTION)?.data as ManifestReport['klappe'] | undefined;
  const gen = active.claim_generator_info?.[0];
  return {
    present: true,
    state,
    failures: failures.map((f) => ({ code: f.code, explanation: f.explanation, url: f.url })),
    successes,
    informational: results?.informational ?? [],
    signer: active.signature_info
      ? {
          issuer: active.signature_info.issuer,
          commonName: active.signature_info.common_name,
          time: active.signature_info.time,
          alg: active.signature_info.alg,
        }
      : undefined,
    claimGenerator: gen ? `${gen.name}${gen.version ? `/${gen.version}` : ''}` : active.claim_generator,
    title: active.title,
    actions: (actionsData?.actions ?? []).map((a) => ({
      action: a.action,
      ...(a.digitalSourceType ? { digitalSourceType: a.digitalSourceType } : {}),
      ...(a.description ? { description: a.description } : {}),
    })),
    ingredients: (active.ingredients ?? []).map((i, n) => {
      const own = i.active_manifest ? json.manifests?.[i.active_manifest] : undefined;
      // what the ingredient recorded when it was added, and what changed on reading it now (deltas, by assertion)
      const recorded = (i.validation_results?.activeManifest?.failure ?? i.validation_status ?? []).map((f) => f.code);
      const deltas = (json.validation_results?.ingredientDeltas ?? [])
        .filter((d) => d.ingredientAssertionURI.endsWith(`/${i.label ?? (n ? `c2pa.ingredient.v3__${n}` : 'c2pa.ingredient.v3')}`))
        .flatMap((d) => (d.validationDeltas?.failure ?? []).map((f) => f.code));
      const fails = [...recorded, ...deltas].filter((c) => trustPem || !/untrusted/.test(c));
      return {
        title: i.title,
        format: i.format,
        relationship: i.relationship,
        state: own ? (fails.length ? 'invalid' : 'valid') : 'none',
        ...(fails.length ? { failures: fails } : {}),
        ...(own ? { manifest: generatorOf(own) } : {}),
      } satisfies IngredientReport;
    }),
    klappe,
  };
}

/** Hard-binding failures: a stored manifest is checked without the file it was signed into. */
const BINDING = /^assertion\.(bmffHash|dataHash|boxesHash|collectionHash)\./;

/** A stored manifest read on its own: signature, certificate and assertions count; its hash binding belongs to the original file. */
export async function readStoredManifest(stored: StoredManifest, trustPem?: string): Promise<ManifestReport> {
  const m = await readManifest(stored.manifest, trustPem, 'application/c2pa');
  const failures = m.failures.filter((f) => !BINDING.test(f.code));
  const state =
    m.state === 'invalid' && !failures.length ? (m.successes.includes('signingCredential.trusted') ? 'trusted' : 'valid') : m.state;
  return { ...m, failures, ...(state ? { state } : {}) };
}

export interface VerifyOptions {
  trustFile?: string;
  watermark?: boolean;
  signal?: AbortSignal;
  /**
   * Folder of the manifest store to recover a stripped file's manifest from (default `<data>/manifests`,
   * when it exists); false looks in none. A folder given here must hold a store.
   */
  store?: string | false;
}

/** Looks the file up in the manifest store: by its sha256, then by the watermark's export id. */
function findStored(
  dir: string,
  contentHash: string,
  exportId: string | undefined,
): { stored: StoredManifest; from: RecoveredManifest['from']; file: string } | undefined {
  if (!existsSync(join(dir, MANIFEST_DB))) return undefined;
  const store = new ManifestStore(dir, { create: false });
  try {
    const byHash = store.byContentHash(contentHash);
    if (byHash) return { stored: byHash, from: 'file-hash', file: store.file };
    const byMark = exportId ? store.byExportId(exportId)[0] : undefined;
    return byMark ? { stored: byMark, from: 'watermark', file: store.file } : undefined;
  } finally {
    store.close();
  }
}

export async function verifyFile(file: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw inputError('FILE_NOT_FOUND', `cannot read ${file}: ${(e as Error).message}`, { file });
  }
  if (opts.store && !existsSync(join(opts.store, MANIFEST_DB)))
    throw inputError('MANIFEST_STORE_NOT_FOUND', `${opts.store} holds no manifest store (${MANIFEST_DB})`, {
      file: opts.store,
      path: '--store',
      hint: "Give the folder that holds manifests.db: a Klappe data folder's manifests/ or a team's shared store.",
    });
  let trustPem: string | undefined;
  if (opts.trustFile) {
    try {
      trustPem = readFileSync(opts.trustFile, 'utf8');
    } catch (e) {
      throw inputError('FILE_NOT_FOUND', `cannot read the trust anchors ${opts.trustFile}: ${(e as Error).message}`, {
        file: opts.trustFile,
        path: '--trust',
      });
    }
    if (!trustPem.includes('-----BEGIN CERTIFICATE-----'))
      throw inputError('CERT_INVALID', `${opts.trustFile} holds no PEM certificate`, { file: opts.trustFile, path: '--trust' });
  }
  if (bytes.length < 12 || bytes.toString('latin1', 4, 8) !== 'ftyp')
    throw inputError('NOT_MP4', `${file} is not an MP4/MOV file (no ftyp box at the start)`, {
      file,
      hint: 'klappe verify reads MP4 exports.',
    });
  const manifest = await readManifest(bytes, trustPem);
  let watermark: VerifyReport['watermark'];
  if (opts.watermark !== false) {
    const w = await readInvisibleWatermark(file, { signal: opts.signal });
    const expected = manifest.klappe?.exportId;
    watermark = { ...w, ...(w.found && expected ? { matchesManifest: w.exportId === expected } : {}) };
  }
  let recovered: RecoveredManifest | undefined;
  if (!manifest.present && opts.store !== false) {
    const found = findStored(
      opts.store || defaultManifestStoreDir(),
      (await bmffHashOfBytes(bytes)).toString('hex'),
      watermark?.found ? watermark.exportId : undefined,
    );
    if (found)
      recovered = {
        from: found.from,
        store: found.file,
        exportId: found.stored.exportId,
        title: found.stored.title,
        signedAt: new Date(found.stored.createdAt).toISOString(),
        manifest: await readStoredManifest(found.stored, trustPem),
      };
  }
  return {
    file,
    manifest,
    watermark,
    ...(recovered ? { recovered } : {}),
    summary: summarize(manifest, watermark, !!trustPem, recovered),
  };
}

function stateText(m: ManifestReport, trustGiven: boolean): string {
  return m.state === 'trusted'
    ? 'valid and trusted'
    : trustGiven
      ? 'valid but not trusted by the given anchors'
      : 'valid (signer not checked against a trust list; pass --trust)';
}

function summarize(m: ManifestReport, w: VerifyReport['watermark'], trustGiven: boolean, recovered?: RecoveredManifest): string {
  const mark = w?.found ? `invisible watermark: export ${w.exportId}` : w ? 'no invisible watermark found' : 'watermark not checked';
  if (!m.present && recovered) {
    const r = recovered.manifest;
    const how = recovered.from === 'watermark' ? 'manifest recovered from the watermark' : 'manifest recovered by the file hash';
    const state = r.state === 'invalid' ? `INVALID (${r.failures.map((f) => f.code).join(', ')})` : stateText(r, trustGiven);
    return `No C2PA manifest in the file; ${how} (export ${recovered.exportId}, ${recovered.title}, signed ${recovered.signedAt}, from ${recovered.store}): ${state}, signed by ${r.signer?.commonName ?? r.signer?.issuer ?? 'unknown'}.`;
  }
  if (!m.present)
    return w?.found
      ? `No C2PA manifest (stripped or never signed), but the ${mark} identifies the Klappe export.`
      : `No C2PA manifest; ${mark}.`;
  if (m.state === 'invalid') return `C2PA manifest INVALID (${m.failures.map((f) => f.code).join(', ')}); ${mark}.`;
  const match = w?.found ? (w.matchesManifest ? ', matching the manifest' : ', NOT matching the manifest') : '';
  const state = stateText(m, trustGiven);
  return `C2PA manifest ${state}, signed by ${m.signer?.commonName ?? m.signer?.issuer ?? 'unknown'}; ${mark}${match}${ingredientsText(m)}.`;
}

/** "; 5 takes and media as ingredients, 5 with their own valid manifest (slate, veo-3.0)" */
function ingredientsText(m: ManifestReport): string {
  if (!m.ingredients.length) return '';
  const own = m.ingredients.filter((i) => i.state === 'valid');
  const gens = [...new Set(own.map((i) => i.manifest?.generator ?? i.manifest?.claimGenerator).filter(Boolean))];
  const bad = m.ingredients.filter((i) => i.state === 'invalid').length;
  return `; ${m.ingredients.length} ingredient${m.ingredients.length > 1 ? 's' : ''}, ${own.length} with a valid manifest of their own${gens.length ? ` (${gens.join(', ')})` : ''}${bad ? `, ${bad} INVALID` : ''}`;
}
