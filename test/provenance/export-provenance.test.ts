/**
 * One short 1280x720 export with every provenance step on, then: verify
 * (valid, trusted with --trust), tampering (one media byte, manifest removed,
 * untrusted signer, expired certificate) and the invisible payload, read by
 * `klappe verify`, after each transform: crf 28 and 32, 640x360, 10 % crops,
 * 30 fps, a 3-second piece, the manifest stripped; and none in an unmarked export.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../../engine/media/run.js';
import { createRootCa, createSigningCert, chainToPem, exportPkcs8Pem } from '../../engine/provenance/certificates.js';
import { readInvisibleWatermark } from '../../engine/provenance/invisible-watermark.js';
import { signAsset } from '../../engine/provenance/sign-asset.js';
import { readManifest } from '../../engine/provenance/verify.js';
import { tempDir } from '../support/env.js';
import { makeShortProject } from './short-project.js';
import { runCli } from '../support/env.js';

const t = tempDir('klappe-provenance-');
const env = { KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
const out = join(t.dir, 'signed.mp4');
const rootCa = join(env.KLAPPE_CONFIG_DIR, 'identity', 'root-ca.pem');
let exportId = '';
afterAll(() => t.cleanup());

const ffmpeg = (args: string[]) => runTool('ffmpeg', ['-v', 'error', '-y', ...args]);

async function verify(file: string, ...extra: string[]) {
  const r = await runCli(['verify', file, '--json', ...extra], env);
  return { status: r.status, report: JSON.parse(r.stdout || '{}'), stderr: r.stderr };
}

describe('provenance of an export', () => {
  beforeAll(async () => {
    const project = await makeShortProject(join(t.dir, 'p'), env, 132); // 5.5 s
    const r = await runCli(['render', project, '-o', out, '--preset', '1280x720', '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.provenance).toMatchObject({ visibleWatermark: true, invisibleWatermark: true, signed: true });
    exportId = summary.provenance.exportId;
    expect(exportId).toMatch(/^[0-9a-f]{8}$/);
  }, 600_000);

  it('verifies as valid, with generator, actions, the Klappe assertion and a matching watermark', async () => {
    const { status, report } = await verify(out);
    expect(status).toBe(0);
    const m = report.manifest;
    expect(m).toMatchObject({ present: true, state: 'valid', failures: [] });
    expect(m.claimGenerator).toBe(
      `Klappe/${JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')).version}`,
    );
    expect(m.actions.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['c2pa.created', 'c2pa.edited', 'c2pa.watermarked']),
    );
    expect(m.actions.find((a: { action: string }) => a.action === 'c2pa.created').digitalSourceType).toMatch(/trainedAlgorithmicMedia$/);
    expect(m.klappe.exportId).toBe(exportId);
    expect(m.klappe.takes.length).toBeGreaterThan(0);
    expect(m.klappe.takes[0]).toMatchObject({ backend: expect.any(String) });
    expect(m.klappe.takes[0].prompt).toBeUndefined();
    expect(m.signer.commonName).toContain('Ada Lovelace');
    expect(report.watermark).toMatchObject({ found: true, exportId, matchesManifest: true });
  }, 600_000);

  it("is trusted with --trust of the user's root; another root leaves it untrusted", async () => {
    const trusted = await verify(out, '--trust', rootCa, '--no-watermark');
    expect(trusted.report.manifest.state).toBe('trusted');
    expect(trusted.report.manifest.successes).toContain('signingCredential.trusted');
    const other = await createRootCa('Someone else');
    writeFileSync(join(t.dir, 'other.pem'), chainToPem([other.cert]));
    const untrusted = await verify(out, '--trust', join(t.dir, 'other.pem'), '--no-watermark');
    expect(untrusted.report.manifest.state).not.toBe('trusted');
    expect(untrusted.report.manifest.failures.map((f: { code: string }) => f.code)).toContain('signingCredential.untrusted');
  });

  it('names one changed byte in the media data (bmffHash mismatch)', async () => {
    const bytes = new Uint8Array(readFileSync(out));
    const mdat = Buffer.from(bytes).indexOf('mdat');
    expect(mdat).toBeGreaterThan(0);
    bytes[mdat + 5000] = bytes[mdat + 5000]! ^ 0x01;
    const m = await readManifest(bytes);
    expect(m.state).toBe('invalid');
    expect(m.failures.map((f) => f.code).join(' ')).toMatch(/bmffHash\.mismatch/);
  });

  it('says when the manifest was removed; the watermark identifies the export and recovers its manifest', async () => {
    const stripped = join(t.dir, 'stripped.mp4');
    await ffmpeg(['-i', out, '-map', '0', '-c', 'copy', stripped]);
    const { report } = await verify(stripped);
    expect(report.manifest.present).toBe(false);
    expect(report.watermark).toMatchObject({ found: true, exportId });
    // the render kept its manifest in the data folder's manifest store: the watermark finds it again
    expect(report.summary).toMatch(/No C2PA manifest in the file; manifest recovered from the watermark/);
    expect(report.recovered).toMatchObject({ from: 'watermark', exportId });
  }, 600_000);

  it('names a file signed with an expired certificate', async () => {
    const root = await createRootCa('Old root');
    const old = await createSigningCert(root, 'Old signer', {
      notBefore: new Date(Date.now() - 40 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    const signed = await signAsset({
      bytes: readFileSync(join(t.dir, 'stripped.mp4')),
      manifest: {
        claim_generator_info: [{ name: 'Klappe', version: 'test' }],
        title: 'old.mp4',
        format: 'video/mp4',
        assertions: [
          {
            label: 'c2pa.actions.v2',
            data: {
              actions: [
                { action: 'c2pa.created', digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia' },
              ],
            },
          },
        ],
      },
      chainPem: chainToPem([old.cert]),
      keyPem: await exportPkcs8Pem(old.keys.privateKey),
    });
    const m = await readManifest(signed.asset);
    expect(m.state).toBe('invalid');
    expect(m.failures.map((f) => f.code)).toContain('signingCredential.expired');
  });

  // each transform re-encodes the export as a platform or a person would; `klappe verify --json` must find the export id
  const transforms: Array<[string, string[]]> = [
    ['crf 28', ['-c:v', 'libx264', '-crf', '28', '-preset', 'veryfast']],
    ['crf 32', ['-c:v', 'libx264', '-crf', '32', '-preset', 'veryfast']],
    ['a downscale to 640x360 (crf 30)', ['-vf', 'scale=640:360', '-c:v', 'libx264', '-crf', '30', '-preset', 'veryfast']],
    ['a 10 % crop (top left kept)', ['-vf', 'crop=iw*0.9:ih*0.9:0:0', '-c:v', 'libx264', '-crf', '23', '-preset', 'veryfast']],
    ['a 10 % crop (centred)', ['-vf', 'crop=iw*0.9:ih*0.9', '-c:v', 'libx264', '-crf', '23', '-preset', 'veryfast']],
    ['30 fps', ['-vf', 'fps=30', '-c:v', 'libx264', '-crf', '23', '-preset', 'veryfast']],
  ];
  for (const [name, args] of transforms)
    it(`recovers the invisible payload with klappe verify after ${name}`, async () => {
      const file = join(t.dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.mp4`);
      await ffmpeg(['-i', out, ...args, '-c:a', 'copy', file]);
      const { report } = await verify(file);
      expect(report.watermark).toMatchObject({ found: true, exportId });
    }, 600_000);

  it('recovers the invisible payload with klappe verify from a 3 s excerpt', async () => {
    const piece = join(t.dir, 'piece.mp4');
    await ffmpeg(['-ss', '1.5', '-i', out, '-t', '3', '-c:v', 'libx264', '-crf', '23', '-preset', 'veryfast', piece]);
    const { report } = await verify(piece);
    expect(report.watermark).toMatchObject({ found: true, exportId });
  }, 600_000);

  it('finds no watermark in an export without one, even trying crops', async () => {
    const plain = join(t.dir, 'plain.mp4');
    const project = join(t.dir, 'p');
    const r = await runCli(['render', project, '-o', plain, '--preset', '1280x720', '--no-invisible-watermark', '--no-sign'], env);
    expect(r.status, r.stderr).toBe(0);
    const w = await readInvisibleWatermark(plain);
    expect(w.found).toBe(false);
  }, 600_000);
});
