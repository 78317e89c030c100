import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/env.js';

const depcruise = join(ROOT, 'node_modules', '.bin', 'depcruise');

describe('layer rule', () => {
  it('fails on engine → electron and renderer → node:fs', () => {
    const r = spawnSync(depcruise, ['--config', '.dependency-cruiser.cjs', 'test/fixtures/layer-violation'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain('engine-no-electron');
    expect(r.stdout).toContain('renderer-no-node');
  });

  it('fails when anything but the ProjectSession (or template creation) imports the project writer', () => {
    const r = spawnSync(depcruise, ['--config', '.dependency-cruiser.cjs', 'test/fixtures/layer-violation/engine/jobs'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/one-project-writer: test\/fixtures\/layer-violation\/engine\/jobs\/writes-project\.ts → engine\/model\/project-writer\.ts/);
  });
});
