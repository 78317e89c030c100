import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/env.js';

const depcruise = join(ROOT, 'node_modules', '.bin', 'depcruise');
const cruise = (...paths: string[]) =>
  spawnSync(depcruise, ['--config', '.dependency-cruiser.cjs', ...paths], { cwd: ROOT, encoding: 'utf8' });
const FIXTURE = 'test/fixtures/layer-violation';

describe('layer rule', () => {
  const r = cruise(FIXTURE);

  it('fails on engine → electron and renderer → node:fs', () => {
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain('engine-no-electron');
    expect(r.stdout).toContain('renderer-no-node');
  });

  it('fails on an upward engine import (model → export) and a cycle inside the engine', () => {
    expect(r.stdout).toContain(
      `error engine-layer-order: ${FIXTURE}/engine/model/imports-export.ts → ${FIXTURE}/engine/export/exporter.ts`,
    );
    expect(r.stdout).toMatch(/error no-circular-in-engine: \S+engine\/util\/cycle-a\.ts/);
  });

  it('keeps engine/common below everything at run time and the renderer on engine/common', () => {
    expect(r.stdout).toContain(
      `error engine-layer-order: ${FIXTURE}/engine/common/uses-model.ts → ${FIXTURE}/engine/model/imports-export.ts`,
    );
    expect(r.stdout).toContain(`error browser-safe-engine-imports-common-only: ${FIXTURE}/engine/common/uses-model.ts`);
    expect(r.stdout).toContain(`error renderer-engine-types-only: ${FIXTURE}/renderer/uses-engine-util.ts`);
  });

  it('fails on main → renderer and on an engine module outside the layer folders', () => {
    expect(r.stdout).toContain(`error main-no-renderer: ${FIXTURE}/main/uses-renderer.ts`);
    expect(r.stdout).toContain(`error engine-folder-is-a-layer: ${FIXTURE}/engine/api/uses-stray.ts → ${FIXTURE}/engine/stray/helper.ts`);
  });

  it('fails when anything but the ProjectSession (or template creation) imports the project writer', () => {
    const w = cruise(`${FIXTURE}/engine/jobs`);
    expect(w.status).not.toBe(0);
    expect(w.stdout).toMatch(
      /one-project-writer: test\/fixtures\/layer-violation\/engine\/jobs\/writes-project\.ts → engine\/model\/project-writer\.ts/,
    );
  });
});
