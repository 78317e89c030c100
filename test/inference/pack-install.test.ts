/**
 * `installPack` against a loopback HTTP server with Range support: a clean
 * install with progress, an interrupted download that resumes (next run and
 * same run), a corrupt file rejected, a disk that fills up during the download.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KlappeError } from '../../engine/common/errors.js';
import { installPack, type InstallProgress } from '../../engine/inference/pack-install.js';
import { findModelPacks, PACK_MANIFEST } from '../../engine/inference/pack-manifest.js';
import { removePack, verifyPack } from '../../engine/inference/pack-verify.js';
import { tempDir } from '../support/env.js';
import { startPackServer, type PackServer } from '../support/pack-server.js';
import { servedTinyPack } from '../support/served-pack.js';

const t = tempDir('klappe-pack-install-');
let server: PackServer;
let manifestUrl = '';
const BIG = 'transformer/model.onnx.data';

beforeAll(async () => {
  servedTinyPack(join(t.dir, 'site'));
  server = await startPackServer(join(t.dir, 'site'));
  manifestUrl = `${server.url}/${PACK_MANIFEST}`;
});
afterAll(async () => {
  await server.close();
  t.cleanup();
});

async function failure(p: Promise<unknown>): Promise<KlappeError> {
  try {
    await p;
  } catch (e) {
    return e as KlappeError;
  }
  throw new Error('no error');
}

const root = (name: string) => join(t.dir, name);

describe('installPack', () => {
  it('installs a pack served over HTTP, with progress and ETA, verifies it, and a second install is a no-op', async () => {
    const seen: InstallProgress[] = [];
    const r = await installPack(manifestUrl, { root: root('a'), onProgress: (p) => seen.push(p) });
    expect(r.alreadyInstalled).toBe(false);
    expect(findModelPacks(root('a'))).toEqual(['tiny-wan']);
    expect(readdirSync(root('a'))).toEqual(['tiny-wan']);
    const last = seen.at(-1)!;
    expect(last.doneBytes).toBe(last.totalBytes);
    expect(seen.some((p) => p.etaSeconds !== undefined)).toBe(true);
    expect((await verifyPack(root('a'), 'tiny-wan')).problems).toEqual([]);
    const again = await installPack(manifestUrl, { root: root('a') });
    expect(again.alreadyInstalled).toBe(true);
    removePack(root('a'), 'tiny-wan');
    expect(findModelPacks(root('a'))).toEqual([]);
  });

  it('keeps the bytes of an interrupted download and resumes them with a Range request on the next run', async () => {
    server.cutAfter.set(BIG, 3000);
    const e = await failure(installPack(manifestUrl, { root: root('b'), retries: 0 }));
    expect(e.code).toBe('DOWNLOAD_INTERRUPTED');
    expect(e.message).toContain(BIG);
    expect(findModelPacks(root('b'))).toEqual([]);
    const part = join(root('b'), '.install-tiny-wan', `${BIG}.part`);
    expect(readFileSync(part).length).toBe(3000);
    server.requests.length = 0;
    const r = await installPack(manifestUrl, { root: root('b'), retries: 0 });
    expect(server.requests.find((q) => q.path === BIG)?.range).toBe('bytes=3000-');
    expect(r.resumedBytes).toBeGreaterThanOrEqual(3000);
    expect(findModelPacks(root('b'))).toEqual(['tiny-wan']);
    expect((await verifyPack(root('b'), 'tiny-wan')).problems).toEqual([]);
  });

  it('resumes within the same run after a cut', async () => {
    server.cutAfter.set(BIG, 1000);
    server.requests.length = 0;
    await installPack(manifestUrl, { root: root('c') });
    expect(server.requests.filter((q) => q.path === BIG).map((q) => q.range)).toEqual([undefined, 'bytes=1000-']);
    expect((await verifyPack(root('c'), 'tiny-wan')).problems).toEqual([]);
  });

  it('rejects a file whose sha256 does not match, naming it, and installs nothing', async () => {
    server.corrupt.add(BIG);
    try {
      const e = await failure(installPack(manifestUrl, { root: root('d') }));
      expect(e.code).toBe('PACK_FILE_CORRUPT');
      expect(e.message).toMatch(
        /transformer\/model\.onnx\.data .* has sha256 [0-9a-f]{16}…, the manifest says [0-9a-f]{16}…; the file was discarded/,
      );
      expect(findModelPacks(root('d'))).toEqual([]);
      expect(existsSync(join(root('d'), '.install-tiny-wan', `${BIG}.part`))).toBe(false);
    } finally {
      server.corrupt.delete(BIG);
    }
  });

  it('fails clearly when the disk fills up during the download and leaves nothing behind', async () => {
    let written = 0;
    const e = await failure(
      installPack(manifestUrl, {
        root: root('e'),
        openPart: async () => ({
          async write(chunk) {
            written += chunk.length;
            if (written > 4000) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          },
          async close() {},
        }),
      }),
    );
    expect(e.code).toBe('DISK_FULL');
    expect(e.message).toContain('filled up while installing tiny-wan');
    expect(readdirSync(root('e'))).toEqual([]);
  });

  it('refuses before downloading when the free space is smaller than the pack', async () => {
    server.requests.length = 0;
    const e = await failure(installPack(manifestUrl, { root: root('f'), freeBytes: () => 100 }));
    expect(e.code).toBe('DISK_FULL');
    expect(e.message).toMatch(/needs .* more, 100 B free/);
    expect(server.requests.map((q) => q.path)).toEqual([PACK_MANIFEST]);
    expect(findModelPacks(root('f'))).toEqual([]);
  });

  it('names the field of a manifest that does not validate', async () => {
    const m = JSON.parse(readFileSync(join(t.dir, 'site', PACK_MANIFEST), 'utf8'));
    m.files[0].size = -1;
    writeFileSync(join(t.dir, 'site', 'bad.json'), JSON.stringify(m));
    const e = await failure(installPack(`${server.url}/bad.json`, { root: root('g') }));
    expect(e.code).toBe('PACK_MANIFEST_INVALID');
    expect(e.path).toBe('files[0].size');
  });
});
