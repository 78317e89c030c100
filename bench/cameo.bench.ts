/**
 * Cameo consent: the check a generation runs per shot (library read, the
 * record's signature verified, the decision), against reading the same
 * consent.json and parsing it; signing a new consent record (a grant); and
 * deriving a cameo's references from a recording (face crops, embedding, voice).
 * GRID clip: CC BY 4.0 (see bench/faces.bench.ts).
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { CameoService } from '../engine/api/cameo-service.js';
import { checkShotConsent } from '../engine/cameo/consent-check.js';
import { identityOfCertificate } from '../engine/cameo/identity-ref.js';
import { CameoLibrary } from '../engine/cameo/library.js';
import { applyCommand } from '../engine/model/commands/index.js';
import { loadProject } from '../engine/model/project-file.js';
import { createProjectFromTemplate } from '../engine/model/templates.js';
import { loadSigningIdentity } from '../engine/provenance/identity.js';
import { FileKeyStore } from '../engine/provenance/key-store.js';
import { makeWorkDir } from '../engine/util/work-dir.js';
import { GRID_A, gridAvailable } from '../test/support/grid-faces.js';
import { medianMs, report } from './support.js';

export async function benchCameo(): Promise<void> {
  if (!gridAvailable()) {
    process.stdout.write('cameo: skipped, the GRID clips are not in ../shared/media/faces\n');
    return;
  }
  const dir = makeWorkDir('klappe-bench-cameo');
  const keyStore = new FileKeyStore(join(dir, 'identity'));
  const signing = await loadSigningIdentity({ store: keyStore, creatorName: 'Bench' });
  const library = new CameoLibrary(join(dir, 'cameos'));
  const t0 = performance.now();
  const cameo = await library.add(GRID_A, { displayName: 'Bench', kind: 'person', permission: 'only-me' }, signing);
  const addMs = performance.now() - t0;
  const id = cameo.consent.body.cameoId;
  createProjectFromTemplate(join(dir, 'p'), 'two-scenes', 'Bench');
  let doc = loadProject(join(dir, 'p')).doc;
  doc = applyCommand(doc, { type: 'character.cameo', characterId: 'mia', cameoId: id }).doc;
  const ctx = { library, identity: identityOfCertificate(signing.stored.chainPem) };
  const n = 200;
  const checkMs =
    (await medianMs(3, () => {
      for (let i = 0; i < n; i++) checkShotConsent(doc, 's2', ctx);
    })) / n;
  const readMs =
    (await medianMs(3, () => {
      for (let i = 0; i < n; i++) JSON.parse(readFileSync(join(library.dir, id, 'consent.json'), 'utf8'));
    })) / n;
  report({
    name: 'consent check per shot (one cameo)',
    value: checkMs,
    unit: 'ms',
    baseline: { name: 'read + parse its consent.json', value: readMs },
  });
  const other = identityOfCertificate((await loadSigningIdentity({ store: new FileKeyStore(join(dir, 'other')) })).stored.chainPem);
  const grantMs = await medianMs(3, () => library.grant(id, other, signing));
  report({ name: 'grant (sign a new consent record)', value: grantMs, unit: 'ms' });
  report({ name: 'cameo add of a 3 s recording (references + signing, no check)', value: addMs, unit: 'ms' });
  const latency = await revocationLatencyMs(library, id, signing, keyStore);
  report({
    name: 'revocation by another process → cameo.changed in the studio',
    value: latency,
    unit: 'ms',
    baseline: { name: 'signing the revocation alone', value: grantMs },
  });
}

/** From a revocation written by another library instance (the CLI) to the studio's cameo.changed event. */
export async function revocationLatencyMs(
  library: CameoLibrary,
  id: string,
  signing: Awaited<ReturnType<typeof loadSigningIdentity>>,
  keyStore: FileKeyStore,
): Promise<number> {
  let resolveEvent: (t: number) => void = () => {};
  const service = new CameoService(
    {
      openDoc: () => undefined,
      openDir: () => undefined,
      recentDirs: () => [],
      index: () => {
        throw new Error('not used');
      },
      emit: () => resolveEvent(performance.now()),
    },
    { library, keyStore },
  );
  await new Promise((r) => setTimeout(r, 400)); // the first poll takes the stamp
  const got = new Promise<number>((r) => (resolveEvent = r));
  const t0 = performance.now();
  await new CameoLibrary(library.dir).revoke(id, signing);
  const guard = setTimeout(() => resolveEvent(Number.NaN), 10_000); // the poll's timer is unref'd: keep the process alive meanwhile
  const at = await got;
  clearTimeout(guard);
  service.stop();
  return at - t0;
}
