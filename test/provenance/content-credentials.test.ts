/**
 * Content Credentials as a whole edit: every take signed when made (or kept
 * signed by its cloud generator), the export listing each take of the cut as a
 * `componentOf` ingredient with the take's own manifest, checked independently
 * with @contentauth/c2pa-wasm's Reader; the watermark's soft binding; the
 * manifest kept in the local manifest store and recovered by `klappe verify`
 * from the watermark of a copy whose manifest was stripped.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WasmReader } from '@contentauth/c2pa-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManifestStore } from '../../engine/cache/manifest-store.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { exportProject } from '../../engine/export/export-project.js';
import { generateTake } from '../../engine/generate/generate-take.js';
import { slateBackend } from '../../engine/generate/slate/slate-backend.js';
import { runTool } from '../../engine/media/run.js';
import { loadProject } from '../../engine/model/project-file.js';
import type { Take } from '../../engine/model/schema.js';
import { createProjectFromTemplate } from '../../engine/model/templates.js';
import { c2pa, readerContext } from '../../engine/provenance/c2pa.js';
import { chainToPem, createRootCa, createSigningCert, exportPkcs8Pem } from '../../engine/provenance/certificates.js';
import { FileKeyStore } from '../../engine/provenance/key-store.js';
import { createLocalIdentity } from '../../engine/provenance/identity.js';
import { signAsset } from '../../engine/provenance/sign-asset.js';
import { stopSigningWorker } from '../../engine/provenance/sign-in-worker.js';
import { ALGORITHMIC_MEDIA, TAKE_ASSERTION } from '../../engine/provenance/take-manifest.js';
import { readManifest, verifyFile, type VerifyReport } from '../../engine/provenance/verify.js';
import { runCli, tempDir } from '../support/env.js';

const t = tempDir('klappe-credentials-');
const env = { KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
const keyStore = new FileKeyStore(join(env.KLAPPE_CONFIG_DIR, 'identity'));
const store = new MediaStore(join(env.KLAPPE_DATA_DIR, 'media'));
const manifestDir = join(env.KLAPPE_DATA_DIR, 'manifests');
const out = join(t.dir, 'film.mp4');
const stripped = join(t.dir, 'stripped.mp4');
const ffmpeg = (args: string[]) => runTool('ffmpeg', ['-v', 'error', '-y', ...args]);
let takes: Take[] = [];
let exportId = '';

afterAll(async () => {
  await stopSigningWorker();
  t.cleanup();
});

type ReaderJson = {
  active_manifest: string;
  validation_state: string;
  validation_results: { ingredientDeltas?: Array<{ validationDeltas: { failure: unknown[] } }> };
  manifests: Record<
    string,
    {
      claim_generator_info?: Array<{ name: string }>;
      signature_info?: { common_name?: string };
      assertions: Array<{ label: string; data: Record<string, unknown> }>;
      ingredients?: Array<{
        title: string;
        relationship: string;
        active_manifest?: string;
        validation_results?: { activeManifest: { success: Array<{ code: string }>; failure: unknown[] } };
      }>;
    }
  >;
};

/** A "Veo" take: a generated video signed by another signer with its own manifest, as Vertex AI delivers them. */
async function cloudTakeFile(raw: string): Promise<string> {
  const root = await createRootCa('Veo test root');
  const leaf = await createSigningCert(root, 'Google Veo (test signer)');
  const signed = await signAsset({
    bytes: readFileSync(raw),
    manifest: {
      claim_generator_info: [{ name: 'Google Veo test', version: '3.0' }],
      title: 'veo.mp4',
      format: 'video/mp4',
      assertions: [
        {
          label: 'c2pa.actions.v2',
          data: {
            actions: [
              {
                action: 'c2pa.created',
                digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
                softwareAgent: { name: 'veo-3.0-generate-001' },
              },
            ],
          },
        },
      ],
    },
    chainPem: chainToPem([leaf.cert]),
    keyPem: await exportPkcs8Pem(leaf.keys.privateKey),
  });
  const file = join(t.dir, 'veo.mp4');
  writeFileSync(file, signed.asset);
  return file;
}

describe('Content Credentials as a whole edit', () => {
  beforeAll(async () => {
    keyStore.save(await createLocalIdentity('Ada Lovelace'));
    const dir = join(t.dir, 'p');
    createProjectFromTemplate(dir, 'two-scenes');
    const loaded = loadProject(dir);
    const doc = structuredClone(loaded.doc);
    doc.creator.name = 'Ada Lovelace';
    // 3 s: 1.5 s of shot 1, then 1.5 s of shot 2
    for (const tr of doc.sequence.tracks) tr.clips = tr.clips.filter((c) => c.id === 'c1' || c.id === 'c2');
    const [c1, c2] = doc.sequence.tracks[0]!.clips;
    c1!.duration = 36;
    c2!.recordStart = 36;
    c2!.duration = 36;
    const [s1, s2] = [doc.scenes[0]!.shots[0]!, doc.scenes[0]!.shots[1]!];
    const backend = slateBackend;
    const made = await generateTake(doc, s1.id, backend, store, { signTake: { keyStore } });
    const slateTake: Take = { ...made, id: 'take-slate' };
    // the cloud take's pictures: shot 2 made unsigned, then signed by "Veo"
    const raw = await generateTake(doc, s2.id, backend, store, { signTake: false });
    const veo = await store.ingest(await cloudTakeFile(store.require(raw.media.video!)));
    const veoTake: Take = {
      ...made,
      id: 'take-veo',
      shotId: s2.id,
      number: 1,
      backend: 'veo',
      model: 'veo-3.0-generate-001',
      seed: 7,
      media: { video: veo.hash },
      duration: 72,
    };
    doc.takes.push(slateTake, veoTake);
    s1.selectedTakeId = slateTake.id;
    s2.selectedTakeId = veoTake.id;
    takes = [slateTake, veoTake];
    const r = await exportProject({ ...loaded, doc }, out, {
      store,
      keyStore,
      manifestStore: manifestDir,
      size: { width: 1280, height: 720 },
      extraAssertions: [{ label: 'app.klappe.cameos', data: { cameos: [{ id: 'cameo-1', grant: 'valid' }] } }],
    });
    expect(r.provenance).toMatchObject({ signed: true, invisibleWatermark: true, ingredients: { takes: 2, withManifest: 2 } });
    expect(r.provenance.manifestStore).toBe(join(manifestDir, 'manifests.db'));
    exportId = r.provenance.exportId;
    // the manifest stripped the way a platform does it: the streams copied into a new file
    await ffmpeg(['-i', out, '-map', '0', '-c', 'copy', '-map_metadata', '-1', stripped]);
  }, 600_000);

  it('signs a generated take with its own manifest: created (algorithmic for the slate), backend, model, seed, prompt hash', async () => {
    const m = await readManifest(readFileSync(store.require(takes[0]!.media.video!)));
    expect(m).toMatchObject({ present: true, state: 'valid' });
    expect(m.actions[0]).toMatchObject({ action: 'c2pa.created', digitalSourceType: ALGORITHMIC_MEDIA });
    const { WasmReader: Reader } = c2pa();
    const reader = await Reader.fromBytes('video/mp4', readFileSync(store.require(takes[0]!.media.video!)), readerContext());
    const json = JSON.parse(reader.json()) as ReaderJson;
    reader.free();
    const take = json.manifests[json.active_manifest]!.assertions.find((a) => a.label === TAKE_ASSERTION)!.data;
    expect(take).toMatchObject({ backend: 'slate', model: takes[0]!.model, seed: takes[0]!.seed, shotId: takes[0]!.shotId });
  });

  it("c2pa-wasm's Reader sees one componentOf ingredient per take, each with its own valid manifest", async () => {
    c2pa();
    const reader = await WasmReader.fromBytes('video/mp4', readFileSync(out), readerContext());
    const json = JSON.parse(reader.json()) as ReaderJson;
    reader.free();
    expect(json.validation_state).toBe('Valid');
    const active = json.manifests[json.active_manifest]!;
    const ingredients = active.ingredients ?? [];
    expect(ingredients).toHaveLength(takes.length);
    for (const ing of ingredients) {
      expect(ing.relationship).toBe('componentOf');
      expect(ing.active_manifest, ing.title).toBeDefined();
      expect(ing.validation_results?.activeManifest.failure, ing.title).toEqual([]);
      expect(ing.validation_results?.activeManifest.success.map((s) => s.code)).toContain('claimSignature.validated');
    }
    for (const d of json.validation_results.ingredientDeltas ?? []) expect(d.validationDeltas.failure).toEqual([]);
    // which generator made which shot: the slate take signed by Klappe, the cloud take keeps Veo's manifest
    const byTitle = Object.fromEntries(ingredients.map((i) => [i.title, json.manifests[i.active_manifest!]!]));
    const veo = Object.entries(byTitle).find(([title]) => title.includes('veo'))![1];
    expect(veo.claim_generator_info?.[0]?.name).toBe('Google Veo test');
    expect(veo.signature_info?.common_name).toBe('Google Veo (test signer)');
    const slate = Object.entries(byTitle).find(([title]) => title.includes('slate'))![1];
    expect(slate.claim_generator_info?.[0]?.name).toBe('Klappe');
    // the watermark's soft binding next to c2pa.watermarked, and the assertion the export code added
    const labels = active.assertions.map((a) => a.label);
    expect(labels).toEqual(expect.arrayContaining(['c2pa.soft-binding', 'app.klappe.cameos']));
    const soft = active.assertions.find((a) => a.label === 'c2pa.soft-binding')!.data as { alg: string; blocks: Array<{ value: string }> };
    expect(soft.alg).toBe('app.klappe.rivagan.v1');
    expect(soft.blocks[0]!.value).toBe(exportId);
    const actions = (active.assertions.find((a) => a.label.startsWith('c2pa.actions'))!.data as { actions: Array<{ action: string }> })
      .actions;
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['c2pa.created', 'c2pa.placed', 'c2pa.edited', 'c2pa.watermarked']),
    );
  });

  it('klappe verify names the generator of each ingredient', async () => {
    const m = await readManifest(readFileSync(out));
    expect(m.state).toBe('valid');
    expect(m.ingredients.map((i) => i.state)).toEqual(['valid', 'valid']);
    expect(m.ingredients.map((i) => i.manifest?.generator).sort()).toEqual([expect.stringMatching(/^slate/), 'veo-3.0-generate-001']);
    // the one line the studio's export dialog and the CLI show
    const r = await verifyFile(out, { watermark: false });
    expect(r.summary).toContain('2 ingredients, 2 with a valid manifest of their own');
  });

  it('recovers the manifest of a stripped copy from the watermark (local store; --store; another store has none)', async () => {
    expect((await readManifest(readFileSync(stripped))).present).toBe(false);
    // the CLI, with the data folder's store
    const cli = await runCli(['verify', stripped, '--json'], env);
    expect(cli.status, cli.stderr).toBe(0);
    const r = JSON.parse(cli.stdout) as VerifyReport;
    expect(r.watermark).toMatchObject({ found: true, exportId });
    expect(r.recovered).toMatchObject({ from: 'watermark', exportId, title: 'film.mp4', store: join(manifestDir, 'manifests.db') });
    expect(r.recovered!.manifest).toMatchObject({ present: true, state: 'valid', failures: [] });
    expect(r.recovered!.manifest.klappe?.exportId).toBe(exportId);
    expect(r.recovered!.manifest.ingredients).toHaveLength(2);
    expect(r.summary).toContain('manifest recovered from the watermark');
    // --store: a folder without a store is bad input; an empty store recovers nothing
    await expect(verifyFile(stripped, { store: join(t.dir, 'nowhere'), watermark: false })).rejects.toMatchObject({
      code: 'MANIFEST_STORE_NOT_FOUND',
    });
    const empty = new ManifestStore(join(t.dir, 'team-store'));
    empty.close();
    const none = await verifyFile(stripped, { store: empty.dir });
    expect(none.recovered).toBeUndefined();
    expect(none.summary).toMatch(/No C2PA manifest.*identifies the Klappe export/);
  }, 300_000);

  it('refuses an extra assertion with a label Klappe or C2PA writes', async () => {
    const loaded = loadProject(join(t.dir, 'p'));
    await expect(
      exportProject(loaded, join(t.dir, 'x.mp4'), { keyStore, extraAssertions: [{ label: 'c2pa.actions', data: {} }] }),
    ).rejects.toMatchObject({ code: 'ASSERTION_LABEL' });
  });
});
