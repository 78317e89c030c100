import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/env.js';

const require = createRequire(import.meta.url);

describe('electron-builder.yml', () => {
  it('passes electron-builder\'s own schema validation', async () => {
    const yaml = require('js-yaml') as { load: (s: string) => Record<string, unknown> };
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration: (c: unknown, l: unknown) => Promise<void> };
    const { DebugLogger } = require('builder-util/out/DebugLogger') as { DebugLogger: new (enabled: boolean) => unknown };
    const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'));
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.appId).toBe('app.klappe.studio');
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/better-sqlite3/**', 'node_modules/onnxruntime-node/**']));
  });

  it('rejects a broken config (the check is real)', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration: (c: unknown, l: unknown) => Promise<void> };
    const { DebugLogger } = require('builder-util/out/DebugLogger') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration({ appId: 'x', linux: { target: 42, nonsense: true } }, new DebugLogger(false))).rejects.toThrow();
  });
});

describe('electron fuses (afterPack hook)', () => {
  it('turns off RunAsNode, NODE_OPTIONS and --inspect, and turns on asar integrity and asar-only loading', () => {
    const yaml = require('js-yaml') as { load: (s: string) => Record<string, unknown> };
    expect(yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')).afterPack).toBe('build/after-pack.cjs');
    const hook = require(join(ROOT, 'build', 'after-pack.cjs')) as { fuseConfig: () => Record<string, unknown>; electronBinary: (c: unknown) => string };
    const { FuseV1Options, FuseVersion } = require('@electron/fuses') as typeof import('@electron/fuses');
    expect(hook.fuseConfig()).toMatchObject({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false, [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false, [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true, [FuseV1Options.OnlyLoadAppFromAsar]: true,
    });
    const packager = { appInfo: { productFilename: 'Klappe' }, executableName: 'klappe' };
    expect(hook.electronBinary({ appOutDir: '/o', electronPlatformName: 'linux', packager })).toBe('/o/klappe');
    expect(hook.electronBinary({ appOutDir: '/o', electronPlatformName: 'darwin', packager })).toBe('/o/Klappe.app');
    expect(hook.electronBinary({ appOutDir: '/o', electronPlatformName: 'win32', packager })).toBe('/o/Klappe.exe');
  });
});
