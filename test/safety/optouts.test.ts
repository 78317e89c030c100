/**
 * Rights-holder opt-out lists: signed with a real signing identity, imported,
 * refused when altered, matched against prompts (naming the rights holder) and
 * reference images (same file, re-encoded or resized).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabases, openDatabase } from '../../engine/cache/database.js';
import { loadSigningIdentity, type SigningIdentity } from '../../engine/provenance/identity.js';
import { FileKeyStore } from '../../engine/provenance/key-store.js';
import { checkShotSafety } from '../../engine/safety/checks.js';
import { DecisionLog } from '../../engine/safety/decision-log.js';
import { moderateText } from '../../engine/safety/moderate.js';
import { importOptoutList, loadOptouts, matchOptoutImage, signOptoutList, writeSignedList } from '../../engine/safety/optouts.js';
import { loadPolicy } from '../../engine/safety/policy.js';
import { createProjectFromTemplate } from '../../engine/model/templates.js';
import { loadProject } from '../../engine/model/project-file.js';
import { tempDir } from '../support/env.js';

const t = tempDir('klappe-optouts-');
const dir = join(t.dir, 'optouts');
const policy = loadPolicy({ userFile: null });
let holder: SigningIdentity;
let other: SigningIdentity;
let signedFile: string;

/** A picture with shapes (so its dHash has structure), as PNG or JPEG, at a size. */
function picture(file: string, opts: { w?: number; h?: number; jpeg?: boolean; seed?: number } = {}): string {
  const w = opts.w ?? 320;
  const h = opts.h ?? 240;
  const c = createCanvas(w, h);
  const g = c.getContext('2d');
  const s = opts.seed ?? 1;
  g.fillStyle = '#203060';
  g.fillRect(0, 0, w, h);
  for (let i = 0; i < 6; i++) {
    g.fillStyle = `hsl(${(i * 60 * s) % 360}, 80%, ${30 + ((i * 17 * s) % 50)}%)`;
    g.beginPath();
    g.arc(((i * 53 * s) % 100) * (w / 100), ((i * 37 * s) % 100) * (h / 100), (w / 8) * (1 + (i % 3)), 0, Math.PI * 2);
    g.fill();
  }
  writeFileSync(file, opts.jpeg ? c.toBuffer('image/jpeg', 70) : c.toBuffer('image/png'));
  return file;
}

beforeAll(async () => {
  holder = await loadSigningIdentity({ store: new FileKeyStore(join(t.dir, 'holder-id')), creatorName: 'Acme Pictures' });
  other = await loadSigningIdentity({ store: new FileKeyStore(join(t.dir, 'other-id')), creatorName: 'Someone Else' });
  picture(join(t.dir, 'comet.png'));
  writeFileSync(
    join(t.dir, 'acme.json'),
    JSON.stringify({
      id: 'acme',
      holder: 'Acme Pictures',
      contact: 'rights@acme.example',
      version: 1,
      entries: [
        { kind: 'character', name: 'Captain Comet', aliases: ['Comet Kid'] },
        { kind: 'brand', name: 'AcmeCola' },
        { kind: 'mark', name: 'Rocket Ring logo' },
        { kind: 'image', name: 'Captain Comet costume', file: 'comet.png' },
      ],
    }),
  );
  signedFile = join(t.dir, 'acme.signed.json');
  writeSignedList(signedFile, await signOptoutList(join(t.dir, 'acme.json'), holder));
});

afterAll(() => {
  closeDatabases();
  t.cleanup();
});

describe('opt-out lists', () => {
  it('are imported when the signature holds, and block prompts naming an entry with the rights holder named', async () => {
    const l = await importOptoutList(signedFile, dir);
    expect(l.list.entries).toHaveLength(4);
    expect(l.signer.subject).toContain('Acme Pictures');
    const loaded = await loadOptouts(dir);
    expect(loaded.refused).toEqual([]);
    const v = moderateText('Captain Comet flies over the harbour at night.', policy, loaded.matchers);
    expect(v).toMatchObject({ outcome: 'block', rule: 'optout.acme', category: 'rights' });
    expect(v.message).toContain('Acme Pictures');
    expect(v.proceed).toContain('Acme Pictures');
    expect(moderateText('the comet kid waves', policy, loaded.matchers).outcome).toBe('block');
    expect(moderateText('A can of acmecola on the table', policy, loaded.matchers).rule).toBe('optout.acme');
    expect(moderateText('A comet crosses the sky over a captain', policy, loaded.matchers).outcome).toBe('allow');
  });

  it('an altered list is refused on import, and one altered after import is not used', async () => {
    const doc = JSON.parse(readFileSync(signedFile, 'utf8'));
    doc.payload.entries = doc.payload.entries.slice(1);
    const altered = join(t.dir, 'altered.json');
    writeFileSync(altered, JSON.stringify(doc));
    await expect(importOptoutList(altered, join(t.dir, 'elsewhere'))).rejects.toMatchObject({ code: 'SIGNATURE_INVALID', kind: 'input' });
    const unsigned = join(t.dir, 'unsigned.json');
    writeFileSync(unsigned, JSON.stringify(doc.payload));
    await expect(importOptoutList(unsigned, join(t.dir, 'elsewhere'))).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
    // tampering with the imported copy: the list is refused when loaded
    const tampered = join(t.dir, 'tampered');
    await importOptoutList(signedFile, tampered);
    const copy = join(tampered, 'acme.json');
    writeFileSync(copy, readFileSync(copy, 'utf8').replace('Captain Comet', 'Captain Kite'));
    const loaded = await loadOptouts(tampered);
    expect(loaded.lists).toHaveLength(0);
    expect(loaded.refused[0]!.reason).toMatch(/signature does not match/);
  });

  it('a newer version from another signer is refused', async () => {
    const src = JSON.parse(readFileSync(join(t.dir, 'acme.json'), 'utf8'));
    const forged = join(t.dir, 'forged.json');
    writeFileSync(join(t.dir, 'acme2.json'), JSON.stringify({ ...src, version: 2 }));
    writeSignedList(forged, await signOptoutList(join(t.dir, 'acme2.json'), other));
    await expect(importOptoutList(forged, dir)).rejects.toMatchObject({ code: 'OPTOUTS_SIGNER_CHANGED' });
  });

  it('reference images match the listed image as the same file, re-encoded or resized, and not another picture', async () => {
    const loaded = await loadOptouts(dir);
    expect(await matchOptoutImage(join(t.dir, 'comet.png'), loaded)).toMatchObject({ holder: 'Acme Pictures', distance: 0 });
    const jpeg = picture(join(t.dir, 'comet-small.jpg'), { w: 160, h: 120, jpeg: true });
    const hit = await matchOptoutImage(jpeg, loaded);
    expect(hit?.name).toBe('Captain Comet costume');
    expect(hit!.distance).toBeLessThanOrEqual(10);
    expect(await matchOptoutImage(picture(join(t.dir, 'other.png'), { seed: 7 }), loaded)).toBeUndefined();
  });

  it('the generation gate blocks a shot whose prompt or reference image is opted out, and logs each check', async () => {
    const project = join(t.dir, 'proj');
    createProjectFromTemplate(project, 'two-scenes', 'Opt-out test');
    const { doc } = loadProject(project);
    const shot = doc.scenes[0]!.shots[0]!;
    const log = new DecisionLog(openDatabase(join(t.dir, 'klappe.db')));
    const optouts = await loadOptouts(dir);
    const blocked = {
      ...doc,
      scenes: doc.scenes.map((s, i) => (i ? s : { ...s, shots: s.shots.map((x, j) => (j ? x : { ...x, prompt: 'Captain Comet lands' })) })),
    };
    await expect(checkShotSafety(blocked, shot.id, { policy, log, optouts, projectFile: 'p.klappe' })).rejects.toMatchObject({
      code: 'SAFETY_BLOCKED',
      path: 'prompt',
    });
    const entries = log.list();
    expect(entries.find((e) => e.outcome === 'block')).toMatchObject({
      rule: 'optout.acme',
      category: 'rights',
      ref: `p.klappe#shot ${shot.id} prompt`,
    });
    await expect(checkShotSafety(doc, shot.id, { policy, log, optouts, references: [join(t.dir, 'comet-small.jpg')] })).rejects.toThrow(
      /looks like "Captain Comet costume".*Acme Pictures/,
    );
    expect(log.list({ limit: 1 })[0]).toMatchObject({ subject: 'reference', outcome: 'block' });
    await expect(checkShotSafety(doc, shot.id, { policy, log, optouts })).resolves.toMatchObject({ outcome: 'allow' });
  });
});
