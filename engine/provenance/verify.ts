/**
 * `klappe verify`: the C2PA manifest (present? valid / trusted / invalid with
 * the C2PA status codes, signer, generator, actions, ingredients, the Klappe
 * assertion) and the invisible watermark (payload, and whether it matches the
 * manifest's export id). A stripped manifest still leaves the watermark.
 */
import { readFileSync } from 'node:fs';
import { inputError } from '../common/errors.js';
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
  ingredients: Array<{ title?: string; format?: string; relationship?: string }>;
  klappe?: { exportId?: string; creator?: string; takes?: unknown[]; promptsIncluded?: boolean };
  error?: string;
}

export interface VerifyReport {
  file: string;
  manifest: ManifestReport;
  watermark?: WatermarkReading & { matchesManifest?: boolean };
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
      ingredients?: Array<{ title?: string; format?: string; relationship?: string }>;
      signature_info?: { issuer?: string; common_name?: string; time?: string; alg?: string };
    }
  >;
  validation_state?: string;
  validation_results?: { activeManifest?: { success?: StatusCode[]; informational?: StatusCode[]; failure?: StatusCode[] } };
  validation_status?: StatusCode[];
}

export async function readManifest(bytes: Uint8Array, trustPem?: string): Promise<ManifestReport> {
  const { WasmReader } = c2pa();
  const empty: ManifestReport = { present: false, failures: [], successes: [], informational: [], actions: [], ingredients: [] };
  let json: StoreJson;
  try {
    const reader = await WasmReader.fromBytes('video/mp4', bytes, readerContext(trustPem));
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
    ingredients: (active.ingredients ?? []).map((i) => ({ title: i.title, format: i.format, relationship: i.relationship })),
    klappe,
  };
}

export async function verifyFile(
  file: string,
  opts: { trustFile?: string; watermark?: boolean; signal?: AbortSignal } = {},
): Promise<VerifyReport> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw inputError('FILE_NOT_FOUND', `cannot read ${file}: ${(e as Error).message}`, { file });
  }
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
  return { file, manifest, watermark, summary: summarize(manifest, watermark, !!trustPem) };
}

function summarize(m: ManifestReport, w: VerifyReport['watermark'], trustGiven: boolean): string {
  const mark = w?.found ? `invisible watermark: export ${w.exportId}` : w ? 'no invisible watermark found' : 'watermark not checked';
  if (!m.present)
    return w?.found
      ? `No C2PA manifest (stripped or never signed), but the ${mark} identifies the Klappe export.`
      : `No C2PA manifest; ${mark}.`;
  if (m.state === 'invalid') return `C2PA manifest INVALID (${m.failures.map((f) => f.code).join(', ')}); ${mark}.`;
  const match = w?.found ? (w.matchesManifest ? ', matching the manifest' : ', NOT matching the manifest') : '';
  const state =
    m.state === 'trusted'
      ? 'valid and trusted'
      : trustGiven
        ? 'valid but not trusted by the given anchors'
        : 'valid (signer not checked against a trust list; pass --trust)';
  return `C2PA manifest ${state}, signed by ${m.signer?.commonName ?? m.signer?.issuer ?? 'unknown'}; ${mark}${match}.`;
}
