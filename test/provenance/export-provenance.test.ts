/**
 * One short 1920x1080 export with every provenance step on, then: verify
 * (valid, trusted with --trust), tampering (one media byte, manifest removed,
 * untrusted signer, expired certificate) and the invisible payload after
 * each transform (the export, crf 28, 1080p→720p, a 3-second piece).
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
    const r = await runCli(['render', project, '-o', out, '--preset', '1920x1080', '--json'], env);
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

  it('recovers the invisible payload exactly after crf 28, 1080p→720p and cutting out 3 s', async () => {
    const crf = join(t.dir, 'crf28.mp4');
    const small = join(t.dir, '720p.mp4');
    const piece = join(t.dir, 'piece.mp4');
    await ffmpeg(['-i', out, '-c:v', 'libx264', '-crf', '28', '-preset', 'veryfast', '-c:a', 'copy', crf]);
    await ffmpeg(['-i', out, '-vf', 'scale=1280:720', '-c:v', 'libx264', '-crf', '23', '-preset', 'veryfast', '-c:a', 'copy', small]);
    await ffmpeg(['-ss', '1.5', '-i', out, '-t', '3', '-c:v', 'libx264', '-crf', '23', '-preset', 'veryfast', piece]);
    for (const f of [crf, small, piece]) {
      const r = await readInvisibleWatermark(f);
      expect({ file: f, found: r.found, id: r.exportId }).toEqual({ file: f, found: true, id: exportId });
    }
  }, 600_000);
});
