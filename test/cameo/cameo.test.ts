import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CameoLibraryView, EventName, JobInfo } from '../../engine/api/contract.js';
import { RecentProjects } from '../../engine/api/recent-projects.js';
import { SettingsStore } from '../../engine/api/settings-store.js';
import { StudioApi } from '../../engine/api/studio-api.js';
import { openDatabase } from '../../engine/cache/database.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { cameoAssertion, cameoDecision, requireExportConsent } from '../../engine/cameo/consent-check.js';
import { exportProject } from '../../engine/export/export-project.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { loadProject } from '../../engine/model/project-file.js';
import { createProjectFromTemplate } from '../../engine/model/templates.js';
import { buildManifest } from '../../engine/provenance/manifest.js';
import { identityOfCertificate } from '../../engine/cameo/identity-ref.js';
import { CameoLibrary } from '../../engine/cameo/library.js';
import { isKlappeError } from '../../engine/common/errors.js';
import { loadSigningIdentity } from '../../engine/provenance/identity.js';
import { FileKeyStore } from '../../engine/provenance/key-store.js';
import { FileSecretStore } from '../../engine/secrets/secret-store.js';
import { canonicalJson } from '../../engine/util/hash.js';
import { ROOT, runCli, sharedAvailable, tempDir } from '../support/env.js';
import { GRID_PHRASE_A, makeGridVariant } from '../support/grid-faces.js';

const RECORDING = join(ROOT, '..', 'shared', 'media', 'faces', 'grid_bbaf2n.mpg');
const shared = sharedAvailable('cameo tests on a real recording');
const t = tempDir('klappe-cameo-');
afterAll(() => t.cleanup());
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Two people on two machines: each a signing identity (made the way the provenance tests make one) and a library. */
async function person(name: string) {
  const store = new FileKeyStore(join(t.dir, name, 'identity'));
  const signing = await loadSigningIdentity({ store, creatorName: name });
  return { store, signing, ref: identityOfCertificate(signing.stored.chainPem), library: new CameoLibrary(join(t.dir, name, 'cameos')) };
}

function refusal(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (e) {
    if (isKlappeError(e)) return e.toJSON();
    throw e;
  }
  throw new Error('expected a KlappeError');
}

describe.skipIf(!shared)('cameo consent records', () => {
  it('are signed by the owner, carried to another machine, and refused there when altered or forged', async () => {
    const ada = await person('Ada');
    const ben = await person('Ben');
    const cameo = await ada.library.add(RECORDING, { displayName: 'Ada', kind: 'person', permission: 'approved' }, ada.signing);
    const id = cameo.consent.body.cameoId;
    expect(cameo.references.length).toBeGreaterThan(0);
    expect(cameoDecision(cameo, id, ada.ref).rule).toBe('cameo.owner');
    expect(cameoDecision(cameo, id, ben.ref)).toMatchObject({ outcome: 'block', rule: 'cameo.not-approved' });
    // only the owner signs a change
    await expect(ada.library.grant(id, ben.ref, ben.signing)).rejects.toMatchObject({ code: 'CAMEO_NOT_OWNER' });

    const granted = await ada.library.grant(id, ben.ref, ada.signing);
    expect(granted.consent.body.version).toBe(2);
    expect(granted.consent.body.history.map((h) => h.action)).toEqual(['created', 'granted']);
    const file = join(t.dir, 'ada.cameo.json');
    writeFileSync(file, JSON.stringify(ada.library.exportRecord(id)));
    const imported = ben.library.importRecord(file);
    expect(cameoDecision(imported, id, ben.ref)).toMatchObject({ outcome: 'allow', rule: 'cameo.approved' });
    expect(imported.references.length).toBe(cameo.references.length);

    // altered: the permission changed after signing
    const record = JSON.parse(readFileSync(file, 'utf8'));
    const altered = structuredClone(record);
    altered.consent.body.permission = 'everyone';
    writeFileSync(join(t.dir, 'altered.json'), JSON.stringify(altered));
    expect(refusal(() => new CameoLibrary(join(t.dir, 'c1')).importRecord(join(t.dir, 'altered.json')))).toMatchObject({
      code: 'CONSENT_SIGNATURE_INVALID',
      message: expect.stringContaining('the signature does not match its contents'),
    });
    // forged: Ben signs a record that says Ada granted Everyone, with Ada's certificate attached
    const forgedBody = { ...record.consent.body, permission: 'everyone', version: 9 };
    const sig = await webcrypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      ben.signing.key,
      new TextEncoder().encode(canonicalJson(forgedBody)),
    );
    writeFileSync(
      join(t.dir, 'forged.json'),
      JSON.stringify({ ...record, consent: { ...record.consent, body: forgedBody, signature: Buffer.from(sig).toString('base64') } }),
    );
    expect(refusal(() => ben.library.importRecord(join(t.dir, 'forged.json')))).toMatchObject({ code: 'CONSENT_SIGNATURE_INVALID' });
    // forged with Ben's own certificate: the key is not the owner's
    writeFileSync(
      join(t.dir, 'forged2.json'),
      JSON.stringify({
        ...record,
        consent: { body: forgedBody, certificate: ben.signing.stored.chainPem, signature: Buffer.from(sig).toString('base64') },
      }),
    );
    expect(refusal(() => ben.library.importRecord(join(t.dir, 'forged2.json')))).toMatchObject({
      code: 'CONSENT_SIGNATURE_INVALID',
      message: expect.stringContaining('not the owner'),
    });
    // a swapped reference image is refused too
    const swapped = structuredClone(record);
    const first = Object.keys(swapped.references)[0]!;
    swapped.references[first] = Buffer.from('not the face').toString('base64');
    writeFileSync(join(t.dir, 'swapped.json'), JSON.stringify(swapped));
    expect(refusal(() => new CameoLibrary(join(t.dir, 'c2')).importRecord(join(t.dir, 'swapped.json')))).toMatchObject({
      code: 'CONSENT_SIGNATURE_INVALID',
    });

    // Ada revokes; Ben imports the newer record and is blocked; the older record cannot come back
    await ada.library.revoke(id, ada.signing);
    writeFileSync(join(t.dir, 'revoked.json'), JSON.stringify(ada.library.exportRecord(id)));
    const revoked = ben.library.importRecord(join(t.dir, 'revoked.json'));
    expect(cameoDecision(revoked, id, ben.ref)).toMatchObject({ outcome: 'block', rule: 'cameo.revoked' });
    expect(refusal(() => ben.library.importRecord(file))).toMatchObject({ code: 'CONSENT_STALE' });
    // an expired grant blocks as well
    const later = new Date(Date.now() + 2 * 86_400_000);
    const exp = await ada.library.setPermission(id, 'everyone', ada.signing, new Date(Date.now() + 86_400_000).toISOString());
    expect(cameoDecision(exp, id, ben.ref).outcome).toBe('allow');
    expect(cameoDecision(exp, id, ben.ref, later)).toMatchObject({ outcome: 'block', rule: 'cameo.expired' });
  });
});

function studio(ada: Awaited<ReturnType<typeof person>>, name: string) {
  const api = new StudioApi({
    store: new MediaStore(join(t.dir, name, 'media')),
    settings: new SettingsStore(join(t.dir, name, 'config'), new FileSecretStore(join(t.dir, name, 'config', 'secrets.json'))),
    recent: new RecentProjects(join(t.dir, name, 'config')),
    projectsDir: join(t.dir, name, 'projects'),
    mediaUrl: (h) => `/media/${h}`,
    autosaveDelayMs: 30,
    queueOptions: { db: openDatabase(join(t.dir, name, 'klappe.db')), pollMs: 50 },
    cameos: { library: ada.library, keyStore: ada.store, pollMs: 100 },
  });
  cleanups.push(() => api.shutdown());
  const events: Array<{ event: EventName; data: unknown; at: number }> = [];
  api.on((event, data) => events.push({ event, data, at: Date.now() }));
  return { api, events };
}

describe.skipIf(!shared)('consent in the studio', () => {
  it('revoking blocks the next generation and pushes the flagged takes to the studio; deleting removes their cached media', async () => {
    const ada = await person('Ada2');
    const { api, events } = studio(ada, 'studio');
    const added = await api.call<'cameo.add'>('cameo.add', { path: RECORDING, name: 'Ada', permission: 'only-me' });
    expect(added.check.passed).toBe(true);
    const cameoId = added.cameoId!;
    await api.call('project.new', { name: 'Cameo film' });
    await api.call('project.apply', { commands: { type: 'character.cameo', characterId: 'mia', cameoId } });
    const waitJobs = async (n: number) => {
      for (let i = 0; i < 600 && events.filter((e) => e.event === 'job.done').length < n; i++) await new Promise((r) => setTimeout(r, 50));
      return events.filter((e) => e.event === 'job.done').map((e) => e.data as JobInfo);
    };
    await api.call('generate.enqueue', { shotIds: ['s2'], backend: 'slate' });
    const [made] = await waitJobs(1);
    expect(made).toMatchObject({ status: 'done' });
    // the references went to the request (the cache key holds them)
    expect((await api.call<'cameo.list'>('cameo.list', {})).flags.takes).toEqual([]);

    // revoked from another process (the CLI): the studio hears of it from the library's stamp
    const t0 = Date.now();
    await new CameoLibrary(ada.library.dir).revoke(cameoId, ada.signing);
    for (let i = 0; i < 40 && !events.some((e) => e.event === 'cameo.changed' && e.at >= t0); i++)
      await new Promise((r) => setTimeout(r, 25));
    const changed = events.find((e) => e.event === 'cameo.changed' && e.at >= t0)!;
    expect(changed.at - t0).toBeLessThan(1000);
    const view = changed.data as CameoLibraryView;
    expect(view.flags.takes).toEqual([expect.objectContaining({ takeId: made!.takeId, cameoId, rule: 'cameo.revoked' })]);
    expect(view.flags.exportPlan).toMatchObject({ blocked: true, cameoIds: [cameoId] });

    // the next generation is refused before it runs, with the reason, and the queue lists it
    await api.call('generate.enqueue', { shotIds: ['s2'], backend: 'slate', overBudget: true });
    const failed = (await api.call<'generate.list'>('generate.list', {})).find((j) => j.status === 'failed')!;
    expect(failed.error).toMatchObject({ code: 'CAMEO_CONSENT', message: expect.stringContaining('revoked') });

    // delete everything with me: the take's cached media go, the library records it
    const doc = (await api.call<'project.get'>('project.get', {}))!.doc;
    const video = doc.takes.find((x) => x.id === made!.takeId)!.media.video!;
    expect(api.store.has(video)).toBe(true);
    const del = await api.call<'cameo.delete'>('cameo.delete', { cameoId });
    expect(del.takes).toBe(1);
    expect(api.store.has(video)).toBe(false);
    expect(del.library.cameos[0]).toMatchObject({ deletedAt: expect.any(String), references: 0 });
    expect(readFileSync(join(ada.library.dir, 'deletions.jsonl'), 'utf8')).toContain(video);
    expect(existsSync(join(ada.library.dir, cameoId, 'references'))).toBe(false);
  });

  it('an expiry passing is pushed to the studio like a revocation', async () => {
    const ada = await person('Ada4');
    const { api, events } = studio(ada, 'studio-expiry');
    const added = await api.call<'cameo.add'>('cameo.add', { path: RECORDING, name: 'Ada', permission: 'everyone' });
    await api.call('cameo.list', {});
    const expiresAt = Date.now() + 1500;
    await api.call('cameo.permission', { cameoId: added.cameoId!, permission: 'everyone', expiresAt: new Date(expiresAt).toISOString() });
    const expired = () =>
      events.find((e) => e.event === 'cameo.changed' && (e.data as CameoLibraryView).cameos[0]?.decision.rule === 'cameo.expired');
    for (let i = 0; i < 200 && !expired(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(expired()!.at).toBeGreaterThanOrEqual(expiresAt);
  });
});

describe.skipIf(!shared)('klappe cameo verify', () => {
  it('prints {passed, reasons} as JSON: the real recording passes, a still frame fails with its reason (exit 3)', async () => {
    const ok = await runCli(['cameo', 'verify', RECORDING, '--json', '--challenge', GRID_PHRASE_A]);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ passed: true, reasons: [] });
    const still = await makeGridVariant('still', RECORDING, join(t.dir, 'still.mp4'));
    const bad = await runCli(['cameo', 'verify', still, '--json']);
    expect(bad.status).toBe(3);
    const r = JSON.parse(bad.stdout) as { passed: boolean; reasons: Array<{ code: string }> };
    expect(r.passed).toBe(false);
    expect(r.reasons.map((x) => x.code)).toContain('STILL_IMAGE');
  });
});

describe.skipIf(!shared)('consent at export', () => {
  it('records the cameos and their valid grants in the manifest, and refuses an export with a revoked cameo before it runs', async () => {
    const ada = await person('Ada3');
    const cameo = await ada.library.add(RECORDING, { displayName: 'Ada', kind: 'person', permission: 'only-me' }, ada.signing);
    const id = cameo.consent.body.cameoId;
    const dir = join(t.dir, 'export-project');
    createProjectFromTemplate(dir, 'two-scenes', 'Export film');
    const loaded = loadProject(dir);
    const doc = applyCommand(loaded.doc, { type: 'character.cameo', characterId: 'mia', cameoId: id }).doc;
    const ctx = { library: ada.library, identity: ada.ref };
    const assertion = cameoAssertion(requireExportConsent(doc, ctx), ctx)!;
    expect(assertion.label).toBe('app.klappe.cameos');
    expect(assertion.data.cameos).toEqual([
      expect.objectContaining({
        cameoId: id,
        displayName: 'Ada',
        owner: ada.ref,
        consentVersion: 1,
        grantValid: true,
        rule: 'cameo.owner',
      }),
    ]);
    const manifest = buildManifest({
      doc,
      exportId: 1,
      title: 'x.mp4',
      visibleWatermark: true,
      invisibleWatermark: false,
      extraAssertions: [assertion],
    });
    expect((manifest.assertions as Array<{ label: string }>).map((a) => a.label)).toContain('app.klappe.cameos');

    await ada.library.revoke(id, ada.signing);
    const out = join(t.dir, 'refused.mp4');
    await expect(exportProject({ ...loaded, doc }, out, { cameoConsent: ctx, sign: false })).rejects.toMatchObject({
      code: 'CAMEO_CONSENT',
      message: expect.stringContaining('cameo.revoked'),
    });
    expect(existsSync(out)).toBe(false);
  });
});
