/**
 * The compiled engine (issue 19): scripts/build-engine.mjs bundles the CLI, the Electron engine host and its
 * worker threads into dist/engine. Run with a loader hook that refuses tsx, the bundled CLI makes and reads a
 * project and the bundled host generates a previz shot and exports a signed file (the drawing and signing
 * workers load their bundled files). Electron main runs the bundle when packaged, and the package ships it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHostEntry } from '../../main/engine-entry.js';
import { exerciseEngineHost } from '../support/engine-host-run.js';
import { ROOT, tempDir } from '../support/env.js';

const t = tempDir('klappe-engine-bundle-');
const BUNDLE = join(ROOT, 'dist', 'engine');
// a module that makes any import of tsx fail: the bundle must not need it
const NO_TSX = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent('export async function resolve(s, c, next) { if (s === "tsx" || s.startsWith("tsx/")) throw new Error("the bundle imported tsx: " + s); return next(s, c); }'));`,
)}`;
const env = { ...process.env, KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
let child: ChildProcess | undefined;

function bundledCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['--import', NO_TSX, join(BUNDLE, 'klappe.mjs'), ...args], { env, cwd: t.dir });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

beforeAll(() => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-engine.mjs')], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}, 120_000);
afterAll(() => {
  child?.kill();
  t.cleanup();
});

describe('compiled engine bundle', () => {
  it('builds the CLI, the engine host and the workers as plain JavaScript', () => {
    for (const f of ['klappe.mjs', 'engine-host.mjs', 'draw-worker.mjs', 'sign-job.mjs', 'inference-worker.mjs'])
      expect(existsSync(join(BUNDLE, f)), f).toBe(true);
    const host = readFileSync(join(BUNDLE, 'engine-host.mjs'), 'utf8');
    expect(host).not.toMatch(/from ["']tsx/);
  });

  it('the bundled CLI: --version, a project from a template, info', async () => {
    const version = await bundledCli(['--version']);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    const made = await bundledCli(['new', 'film', '--template', 'two-scenes']);
    expect(made.status, made.stderr).toBe(0);
    const info = await bundledCli(['info', 'film']);
    expect(info.status, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/The Red Cup/);
    expect(info.stdout).toMatch(/scene 2 Garden, afternoon/);
    const bad = await bundledCli(['info', 'no-such-project']);
    expect(bad.status).toBe(2);
  });

  it('the bundled engine host generates a previz shot and exports a signed file (workers from the bundle)', async () => {
    await exerciseEngineHost(join(BUNDLE, 'engine-host.mjs'), join(t.dir, 'host'), (c) => (child = c), ['--import', NO_TSX]);
  }, 180_000);

  it('Electron main runs the bundle when packaged; a checkout without it runs the sources through tsx', () => {
    expect(engineHostEntry('/app', true, () => false)).toBe(join('/app', 'dist', 'engine', 'engine-host.mjs'));
    expect(engineHostEntry('/app', false, () => true)).toBe(join('/app', 'dist', 'engine', 'engine-host.mjs'));
    expect(engineHostEntry('/app', false, () => false)).toBe(join('/app', 'main', 'engine-host-boot.mjs'));
    const main = readFileSync(join(ROOT, 'main', 'main.ts'), 'utf8');
    expect(main).toContain('utilityProcess.fork(engineHostEntry(appRoot(), app.isPackaged)');
  });

  it('the package ships dist/engine (built by the beforePack hook), unpacked for the utilityProcess and workers, without tsx', () => {
    const yaml = createRequire(import.meta.url)('js-yaml') as { load: (s: string) => Record<string, unknown> };
    const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as { files: string[]; asarUnpack: string[]; beforePack: string };
    expect(config.files).toContain('dist/engine/**');
    expect(config.files).toContain('!node_modules/tsx/**');
    expect(config.files).not.toContain('engine/**');
    expect(config.asarUnpack).toContain('dist/engine/**');
    expect(config.beforePack).toBe('build/before-pack.cjs');
    expect(readFileSync(join(ROOT, config.beforePack), 'utf8')).toContain('buildEngine()');
  });
});
