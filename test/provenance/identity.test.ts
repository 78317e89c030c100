import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chainToPem, checkSigningChain, createRootCa, createSigningCert, exportPkcs8Pem } from '../../engine/provenance/certificates.js';
import { coseSign1 } from '../../engine/provenance/cose.js';
import { loadSigningIdentity } from '../../engine/provenance/identity.js';
import { FileKeyStore } from '../../engine/provenance/key-store.js';
import { runCli, tempDir } from '../support/env.js';
import { makeShortProject } from './short-project.js';

const t = tempDir('klappe-identity-');
afterAll(() => t.cleanup());
const DAY = 86_400_000;

describe('signing identity', () => {
  it('is created on first use: a local root CA and a P-256 signing certificate, keys 0600', async () => {
    const store = new FileKeyStore(join(t.dir, 'first'));
    const id = await loadSigningIdentity({ store, creatorName: 'Ada' });
    expect(id.stored.source).toBe('local');
    expect(id.chain[0]!.subject).toContain('CN=Ada');
    expect(statSync(join(store.dir, 'signing-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(store.dir, 'root-ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(existsSync(store.rootPath())).toBe(true);
    // the second use loads the same certificate
    const again = await loadSigningIdentity({ store });
    expect(again.chain[0]!.serialNumber).toBe(id.chain[0]!.serialNumber);
  });

  it('refuses expired certificates, CA leaves and keys that do not match, naming what is wrong', async () => {
    const root = await createRootCa('Test root');
    const expired = await createSigningCert(root, 'Old', {
      notBefore: new Date(Date.now() - 30 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    await expect(checkSigningChain([expired.cert, root.cert], expired.keys.privateKey, 'old.pem')).rejects.toMatchObject({
      code: 'CERT_EXPIRED',
      kind: 'input',
      path: 'certificate[0].notAfter',
    });
    await expect(checkSigningChain([root.cert], root.keys.privateKey, 'root.pem')).rejects.toMatchObject({
      code: 'CERT_INVALID',
      path: 'certificate[0].basicConstraints',
    });
    const good = await createSigningCert(root, 'Good');
    await expect(checkSigningChain([good.cert, root.cert], expired.keys.privateKey, 'good.pem')).rejects.toMatchObject({
      code: 'KEY_MISMATCH',
    });
    await expect(checkSigningChain([good.cert, root.cert], good.keys.privateKey, 'good.pem')).resolves.toBeUndefined();
  });

  it('COSE_Sign1 fills exactly the reserved size', async () => {
    const root = await createRootCa('Pad root');
    const leaf = await createSigningCert(root, 'Pad');
    for (const size of [2048, 4096, 10_000]) {
      const cose = await coseSign1(new Uint8Array(300), leaf.keys.privateKey, [new Uint8Array(leaf.cert.rawData)], size);
      expect(cose.length).toBe(size);
      expect(cose[0]).toBe(0xd2); // tag 18
    }
  });

  it('klappe identity import takes a good chain; a bad or expired one fails before any rendering (exit 2, no file)', async () => {
    const env = { KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'cli-config') };
    const root = await createRootCa('Studio root');
    const good = await createSigningCert(root, 'Studio Editor');
    writeFileSync(join(t.dir, 'chain.pem'), chainToPem([good.cert, root.cert]));
    writeFileSync(join(t.dir, 'key.pem'), await exportPkcs8Pem(good.keys.privateKey));
    const ok = await runCli(['identity', 'import', '--cert', join(t.dir, 'chain.pem'), '--key', join(t.dir, 'key.pem'), '--json'], env);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ source: 'imported', subject: expect.stringContaining('Studio Editor'), chainLength: 2 });
    const show = await runCli(['identity', 'show', '--json'], env);
    expect(JSON.parse(show.stdout).subject).toContain('Studio Editor');

    const old = await createSigningCert(root, 'Old Editor', {
      notBefore: new Date(Date.now() - 30 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    writeFileSync(join(t.dir, 'old.pem'), chainToPem([old.cert, root.cert]));
    writeFileSync(join(t.dir, 'old-key.pem'), await exportPkcs8Pem(old.keys.privateKey));
    const bad = await runCli(['identity', 'import', '--cert', join(t.dir, 'old.pem'), '--key', join(t.dir, 'old-key.pem')], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/expired/);
    writeFileSync(join(t.dir, 'junk.pem'), 'not a certificate');
    expect((await runCli(['identity', 'import', '--cert', join(t.dir, 'junk.pem'), '--key', join(t.dir, 'key.pem')], env)).status).toBe(2);

    // an expired certificate already in the store stops the render before it starts
    new FileKeyStore(join(env.KLAPPE_CONFIG_DIR, 'identity')).save({
      chainPem: chainToPem([old.cert, root.cert]),
      keyPem: await exportPkcs8Pem(old.keys.privateKey),
      source: 'imported',
    });
    const project = await makeShortProject(join(t.dir, 'p'), env, 24);
    const out = join(t.dir, 'never.mp4');
    const render = await runCli(['render', project, '-o', out], env);
    expect(render.status).toBe(2);
    expect(render.stderr).toMatch(/CERT_EXPIRED|expired/);
    expect(render.stderr).not.toMatch(/rendering:/);
    expect(existsSync(out)).toBe(false);
  });
});
