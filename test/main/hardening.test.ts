/**
 * Electron main hardening that cannot run here (no Electron binary in the
 * test environment), checked in the source: the single-instance lock, the
 * permission handlers, the supervised engine, sandboxed windows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/env.js';

const main = readFileSync(join(ROOT, 'main', 'main.ts'), 'utf8');

describe('electron main hardening (source checks)', () => {
  it('takes the single-instance lock before anything else and quits without it', () => {
    expect(main).toMatch(/if \(!app\.requestSingleInstanceLock\(\)\) app\.quit\(\);/);
    expect(main.indexOf('requestSingleInstanceLock')).toBeLessThan(main.indexOf('app.whenReady()'));
  });
  it('denies permission requests and permission checks', () => {
    expect(main).toContain('setPermissionRequestHandler((_wc, _perm, cb) => cb(false))');
    expect(main).toContain('setPermissionCheckHandler(() => false)');
  });
  it('runs the engine under the supervisor and renderers sandboxed without node', () => {
    expect(main).toContain('new EngineSupervisor(');
    expect(main).not.toMatch(/pending\.set\(/);
    expect(main).toMatch(/contextIsolation: true,\s*sandbox: true,\s*nodeIntegration: false,\s*webSecurity: true/);
  });
});
