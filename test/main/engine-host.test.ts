/**
 * The Electron engine host, run as Electron runs it from a checkout (main/engine-host-boot.mjs: the engine from
 * source through tsx) but under plain Node (test/support/engine-host-run.ts); the compiled bundle runs the same
 * steps in test/build/engine-bundle.test.ts.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { ROOT, tempDir } from '../support/env.js';
import { exerciseEngineHost } from '../support/engine-host-run.js';

const t = tempDir('klappe-engine-host-');
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill();
  t.cleanup();
});

describe('Electron engine host', () => {
  it('takes secrets from main, relays changes, generates a previz shot and exports a signed file', async () => {
    await exerciseEngineHost(join(ROOT, 'main', 'engine-host-boot.mjs'), t.dir, (c) => (child = c));
  });
});
