/**
 * `klappe models` end to end in a child process: install from a loopback
 * server (resuming after a cut connection), list, verify (and a damaged file
 * found), remove; import of a Wan folder and refusal of a wrong signature;
 * a disk that is too small (a real 64 KiB tmpfs in a user namespace, where
 * `unshare` allows it) fails clearly and leaves nothing behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeOnnxModel } from '../../engine/inference/onnx-writer.js';
import { KLAPPE_BIN, runCli, tempDir } from '../support/env.js';
import { startPackServer, type PackServer } from '../support/pack-server.js';
import { servedTinyPack } from '../support/served-pack.js';
import { writeTinyWanFiles } from '../support/tiny-wan-pack.js';

const t = tempDir('klappe-models-cli-');
const env = { KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
const models = join(t.dir, 'data', 'models');
let server: PackServer;
const BIG = 'filler.bin';

function run(cmd: string, args: string[], childEnv: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { env: childEnv });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', () => resolve({ stdout, stderr }));
  });
}

beforeAll(async () => {
  servedTinyPack(join(t.dir, 'site'), 200_000);
  server = await startPackServer(join(t.dir, 'site'));
});
afterAll(async () => {
  await server.close();
  t.cleanup();
});

describe('klappe models', () => {
  it('installs from a URL, resuming after a cut connection; lists, verifies and removes', async () => {
    server.cutAfter.set(BIG, 50_000);
    let r = await runCli(['models', 'install', `${server.url}/klappe-pack.json`], env);
    expect(r.stderr).not.toContain('Error');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^installed tiny-wan 1\.0\.0-seed1 \(wan2\.1-t2v, .*\) in .*models\/tiny-wan/);
    expect(server.requests.filter((q) => q.path === BIG).map((q) => q.range)).toEqual([undefined, 'bytes=50000-']);
    expect(r.stderr).toMatch(/installing http:\/\/127\.0\.0\.1:\d+\/klappe-pack\.json: 100%/);
    r = await runCli(['models', 'list', '--json'], env);
    expect(JSON.parse(r.stdout).packs).toEqual([expect.objectContaining({ id: 'tiny-wan', ok: true, pipeline: 'wan2.1-t2v' })]);
    r = await runCli(['models', 'verify', 'tiny-wan'], env);
    expect(r.stdout).toMatch(/all 6 files match/);
    appendFileSync(join(models, 'tiny-wan', BIG), 'x');
    r = await runCli(['models', 'verify', 'tiny-wan'], env);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${BIG}: 200001 bytes, expected 200000 bytes`);
    r = await runCli(['models', 'remove', 'tiny-wan'], env);
    expect(r.status).toBe(0);
    expect(readdirSync(models)).toEqual([]);
  });

  it('imports a folder in the Wan layout and refuses one with a wrong signature, naming the graph and the input', async () => {
    const src = join(t.dir, 'converted');
    writeTinyWanFiles(src, { hidden: 32, textLength: 16 });
    let r = await runCli(['models', 'import', src, '--id', 'wan-mine'], env);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^imported wan-mine \(wan2\.1-t2v, 5 files/);
    expect(r.stdout).toContain('transformer: hidden_states:float32[1,16,transformer_sample_frames');
    const bad = join(t.dir, 'bad');
    writeTinyWanFiles(bad, { hidden: 32, textLength: 16 });
    const graph = {
      name: 'text_encoder',
      inputs: [{ name: 'input_ids', type: 'float32' as const, shape: ['b', 512] }],
      outputs: [{ name: 'last_hidden_state', type: 'float32' as const, shape: ['b', 512, 32] }],
      nodes: [{ op: 'Identity', inputs: ['input_ids'], outputs: ['last_hidden_state'] }],
    };
    writeFileSync(join(bad, 'text_encoder', 'model.onnx'), encodeOnnxModel({ graph }).model);
    r = await runCli(['models', 'import', bad], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/text_encoder \(.*bad\/text_encoder\/model\.onnx\): input input_ids is float32, expected int64 or int32/);
    r = await runCli(['models', 'list', '--json'], env);
    expect(JSON.parse(r.stdout).packs.map((p: { id: string }) => p.id)).toEqual(['wan-mine']);
  });

  it('fails clearly on a disk too small for the pack and leaves nothing half-installed (64 KiB tmpfs)', async () => {
    const probe = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /tmp && echo ok'], { encoding: 'utf8' });
    if (probe.stdout.trim() !== 'ok') {
      console.log(`skipped: no tmpfs without root here (unshare -rm: ${probe.stderr.trim() || probe.status})`);
      return;
    }
    const small = join(t.dir, 'small');
    mkdirSync(small);
    const script = `mount -t tmpfs -o size=64k tmpfs '${small}' && '${process.execPath}' '${KLAPPE_BIN}' models install '${server.url}/klappe-pack.json' --dir '${small}'; echo "rc=$?"; ls -A '${small}'`;
    // Async: the loopback server lives in this process.
    const r = await run('unshare', ['-rm', 'sh', '-c', script], { ...process.env, ...env });
    expect(r.stderr).toMatch(/not enough space to install tiny-wan in .*small: needs 2\d\d\.\d KiB more, 6\d\.\d KiB free/);
    expect(r.stdout.trim().split('\n')).toEqual(['rc=1']);
  });
});
