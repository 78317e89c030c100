import { afterAll, beforeAll, expect, test } from 'vitest';
import { join } from 'node:path';
import { runCli, spawnCli, tempDir } from '../support/env.js';

const tmp = tempDir();
const project = join(tmp.dir, 'p');
beforeAll(async () => {
  expect((await runCli(['new', project, '--template', 'two-scenes'])).status).toBe(0);
}, 120_000);
afterAll(() => tmp.cleanup());

test('klappe … | head: a reader that closes its end early does not crash the CLI with EPIPE', async () => {
  const child = spawnCli(['info', project, '--json']);
  child.stdout!.destroy(); // the reader is gone before the first line is written
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  expect(stderr).not.toMatch(/EPIPE|Unhandled/);
  expect(code).toBe(0);
}, 60_000);
